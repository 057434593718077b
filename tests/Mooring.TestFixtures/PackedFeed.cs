using System.Globalization;

namespace Mooring.TestFixtures;

/// <summary>
/// The Mooring packages a fixture consumes as a user would. Under eng/test.sh they are the run's, packed once
/// (<see cref="LocalPackages.RunPackages"/>), and left to eng/test.sh. Without it, the given projects are packed here at a
/// version no other run uses (0.1.0-&lt;prefix&gt;.&lt;timestamp&gt;), so the NuGet caches can never hand a test a stale
/// SDK, and disposing removes them and their copies in the NuGet cache. <see cref="SdkPackageFeed"/> and the template
/// tests' feed both get their packages here.
/// </summary>
public sealed class PackedFeed : IAsyncDisposable
{
    private readonly string[]? _ownedPackageIds;

    private PackedFeed(string feedDirectory, string version, string[]? ownedPackageIds)
    {
        FeedDirectory = feedDirectory;
        Version = version;
        _ownedPackageIds = ownedPackageIds;
    }

    /// <summary>The folder holding the .nupkg files.</summary>
    public string FeedDirectory { get; }

    /// <summary>The version every package of the feed carries.</summary>
    public string Version { get; }

    /// <summary>The run's packages, or <paramref name="projects"/> packed into <paramref name="ownDirectory"/>.</summary>
    /// <param name="projects">Project paths under the repository; their file names are the package IDs.</param>
    /// <param name="ownDirectory">Where to pack when there are no run packages.</param>
    /// <param name="suffixPrefix">The first part of the version suffix of packages packed here (<c>test</c>, <c>tpl</c>).</param>
    /// <param name="cancellationToken">Cancels the packing.</param>
    public static async Task<PackedFeed> ObtainAsync(IReadOnlyList<string> projects, string ownDirectory, string suffixPrefix, CancellationToken cancellationToken = default)
    {
        if (LocalPackages.RunPackages() is { } run)
        {
            return new PackedFeed(run.Directory, run.Version, ownedPackageIds: null);
        }

        var suffix = suffixPrefix + "." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var feed = new PackedFeed(ownDirectory, "0.1.0-" + suffix, [.. projects.Select(Path.GetFileNameWithoutExtension).OfType<string>()]);
        try
        {
            await LocalPackages.PackAsync(projects, ownDirectory, suffix, cancellationToken);
            return feed;
        }
        catch
        {
            await feed.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="directory"/> a consumer of this feed: a nuget.config with only the feed and nuget.org, and
    /// empty Directory.Build.props, Directory.Build.targets and Directory.Packages.props, so that a temp folder inside a
    /// repository picks up none of its MSBuild files or central package versions.
    /// </summary>
    public void PrepareConsumerDirectory(string directory, string feedName)
    {
        Directory.CreateDirectory(directory);
        LocalPackages.WriteNuGetConfig(directory, FeedDirectory, feedName);
        foreach (var file in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            File.WriteAllText(Path.Combine(directory, file), "<Project />\n");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownedPackageIds is not null)
        {
            LocalPackages.TryDeleteDirectory(FeedDirectory);
            LocalPackages.RemoveFromNuGetCache(_ownedPackageIds, Version);
        }

        return ValueTask.CompletedTask;
    }
}
