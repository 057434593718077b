using System.Text;

namespace Mooring.Build.Push;

/// <summary>
/// Where <see cref="Tasks.PluginBaseImage"/> keeps flattened base images, and when an entry may be reused: it is named by the
/// full top-level digest (a 64-bit prefix could be matched by a crafted image), and its marker must name that digest, the
/// architecture and this cache format in full; an entry that merely exists is not trusted.
/// </summary>
internal static class BaseImageCache
{
    private const string CompleteMarker = ".mooring-complete";

    // Bump when the flattener's rules change, so a tree flattened under older (weaker) rules is pulled again.
    private const string Format = "mooring-base-2";

    /// <summary>The cache entry of <paramref name="digest"/> for <paramref name="architecture"/> under <paramref name="cacheDirectory"/>.</summary>
    public static string PathFor(string cacheDirectory, string digest, string architecture) =>
        Path.Combine(Path.GetFullPath(cacheDirectory), digest.Replace(':', '-') + "-" + architecture);

    /// <summary>Whether <paramref name="entry"/> holds a complete flattening of exactly this digest and architecture.</summary>
    public static bool IsComplete(string entry, string digest, string architecture)
    {
        var marker = new FileInfo(Path.Combine(entry, CompleteMarker));
        if (!marker.Exists || marker.LinkTarget is not null || marker.Length > 4096)
        {
            return false;
        }

        return File.ReadAllText(marker.FullName, Encoding.UTF8).StartsWith(Header(digest, architecture), StringComparison.Ordinal);
    }

    /// <summary>Writes the marker of a finished entry (still in its temporary directory); the platform manifest digest is informational.</summary>
    public static Task MarkCompleteAsync(string entry, string digest, string architecture, string manifestDigest, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(entry, CompleteMarker), Header(digest, architecture) + manifestDigest + "\n", Encoding.UTF8, cancellationToken);

    private static string Header(string digest, string architecture) => $"{Format}\n{digest}\n{architecture}\n";
}
