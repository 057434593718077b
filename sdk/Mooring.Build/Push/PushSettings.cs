using System.Globalization;
using Mooring.Oci;
using Mooring.Oci.Archives;
using Mooring.Oci.References;

namespace Mooring.Build.Push;

/// <summary>Turns the MSBuild push properties into a validated reference, tag list and archive timestamp. Repositories
/// and tags are checked by <see cref="ImageReference"/>, the one reference grammar.</summary>
internal static class PushSettings
{
    /// <summary>
    /// The repository to push to: <paramref name="repository"/> when set (validated), else <paramref name="projectName"/> made
    /// valid (lower-cased; characters a repository may not hold become '-'; separators collapsed and trimmed).
    /// </summary>
    public static string Repository(string? repository, string projectName)
    {
        if (!string.IsNullOrWhiteSpace(repository))
        {
            var trimmed = repository.Trim();
            if (!ImageReference.IsValidRepository(trimmed))
            {
                throw new OciException(ErrorCodes.BadSetting,
                    $"PluginRepository '{repository}' is not a valid repository name. Use lower-case letters, digits and separators (., _, -) in path components separated by '/', e.g. 'acme/localvolume'; put the registry host in PluginRegistry and the tag in PluginTag.");
            }

            return trimmed;
        }

        var made = ImageReference.ToPathComponent(projectName);
        if (made.Length == 0)
        {
            throw new OciException(ErrorCodes.BadSetting, $"Could not derive a repository name from the project name '{projectName}'. Set PluginRepository, e.g. 'acme/localvolume'.");
        }

        return made;
    }

    /// <summary>The registry and repository as one reference; the registry must be given and must parse as a registry host.</summary>
    public static ImageReference Target(string? registry, string repository)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            throw new OciException(ErrorCodes.BadSetting,
                "PluginRegistry is not set: say where to push, e.g. dotnet publish -t:PluginPush -p:PluginRegistry=ghcr.io or -p:PluginRegistry=127.0.0.1:5000.");
        }

        var host = registry.Trim().TrimEnd('/');
        if (host.Contains("://", StringComparison.Ordinal))
        {
            throw new OciException(ErrorCodes.BadSetting, $"PluginRegistry '{registry}' has a scheme; give the host (and port) only, e.g. '{host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..]}'. Use PluginInsecureRegistries for a plain-HTTP registry.");
        }

        // A bare name such as "myregistry" would be read as a Docker Hub repository; Docker needs a '.' or ':' (or localhost).
        var text = host + "/" + repository;
        if (!ImageReference.TryParse(text, out var reference, out var error)
            || !string.Equals(reference.Registry, host, StringComparison.OrdinalIgnoreCase) || reference.Tag is not null || reference.Digest is not null)
        {
            throw new OciException(ErrorCodes.BadSetting,
                $"PluginRegistry '{registry}' with PluginRepository '{repository}' is not a valid push target{(error is null ? "" : ": " + error)}. A registry is a host name with a '.' or a port (ghcr.io, registry.example.com:5000, 127.0.0.1:5000) or 'localhost'.");
        }

        return reference;
    }

    /// <summary>
    /// The tags: <paramref name="tags"/> (PluginTags) when any, else <paramref name="tag"/> (PluginTag, by default the project
    /// Version), each followed by <paramref name="suffix"/> (e.g. "-arm64" for one tag per architecture). Each must be a valid
    /// Docker tag; duplicates are dropped.
    /// </summary>
    public static IReadOnlyList<string> Tags(string[]? tags, string? tag, string suffix = "")
    {
        // A ';' escaped on the command line (-p:PluginTags=1.0%3Blatest) arrives as one literal item; ',' is accepted too.
        var list = (tags ?? []).SelectMany(t => t.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (list.Count == 0 && !string.IsNullOrWhiteSpace(tag))
        {
            list.Add(tag.Trim());
        }

        if (list.Count == 0)
        {
            throw new OciException(ErrorCodes.BadSetting, "No tag to push: set PluginTag (it defaults to the project Version) or PluginTags (several tags separated by ';').");
        }

        list = list.Select(t => t + suffix).ToList();

        foreach (var t in list)
        {
            if (!ImageReference.IsValidTag(t))
            {
                throw new OciException(ErrorCodes.BadSetting,
                    $"'{t}' is not a valid tag (from PluginTag/PluginTags, which default to the project Version): {ImageReference.TagRule}. A version such as 1.0.0+abc needs its '+' replaced.");
            }
        }

        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The archive timestamp: <paramref name="sourceDateEpoch"/> (SOURCE_DATE_EPOCH, property or environment) or 1970.</summary>
    public static DateTimeOffset Timestamp(string? sourceDateEpoch)
    {
        try
        {
            return ArchiveTimestamp.Resolve(name => name == ArchiveTimestamp.SourceDateEpochVariable ? sourceDateEpoch : null);
        }
        catch (FormatException e)
        {
            throw new OciException(ErrorCodes.BadSetting, e.Message + " Unset it, or set it to the commit time: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct).");
        }
    }

    /// <summary>Bytes in a human unit, invariant culture ("6.1 MB").</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>A digest shortened for progress lines (sha256:0123456789ab).</summary>
    public static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
