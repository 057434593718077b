namespace Mooring.TestFixtures;

/// <summary>
/// The freshly packed Mooring and Mooring.Sdk packages in a private folder, at a version no other run uses
/// (0.1.0-test.&lt;timestamp&gt;), so the NuGet caches can never hand a test a stale SDK. Consumers get a
/// nuget.config with that folder plus nuget.org. Disposing removes the feed and the cached copies. Under eng/test.sh the
/// packages are the run's (<see cref="LocalPackages.RunPackages"/>), packed once, and only this feed's folder is removed.
/// </summary>
public sealed class SdkPackageFeed : IAsyncDisposable
{
    private static readonly string[] PackedProjects = ["sdk/Mooring/Mooring.csproj", "sdk/Mooring.Sdk/Mooring.Sdk.csproj"];

    private readonly bool _ownsPackages;

    private SdkPackageFeed(string root, string version, string? feedDirectory = null)
    {
        Root = root;
        Version = version;
        FeedDirectory = feedDirectory ?? Path.Combine(root, "feed");
        _ownsPackages = feedDirectory is null;
    }

    /// <summary>A temp folder holding the consumers' projects (and feed/, when this feed packed its own packages).</summary>
    public string Root { get; }

    /// <summary>The package version of this run.</summary>
    public string Version { get; }

    public string FeedDirectory { get; }

    /// <summary>Packs sdk/Mooring and sdk/Mooring.Sdk (Release) into a new feed.</summary>
    public static async Task<SdkPackageFeed> CreateAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-sdk-").FullName;
        if (LocalPackages.RunPackages() is { } run)
        {
            return new SdkPackageFeed(root, run.Version, run.Directory);
        }

        var suffix = "test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        var feed = new SdkPackageFeed(root, "0.1.0-" + suffix);
        try
        {
            await LocalPackages.PackAsync(PackedProjects, feed.FeedDirectory, suffix, cancellationToken);
            return feed;
        }
        catch
        {
            await feed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty consumer directory with a nuget.config pointing at the feed.</summary>
    public string CreateConsumerDirectory(string name)
    {
        var directory = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        LocalPackages.WriteNuGetConfig(directory, FeedDirectory, "mooring-test");

        // Stop the repository's Directory.Build.props/.targets and global.json from leaking in when Root is inside it.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        return directory;
    }

    /// <summary>The project-file header for this feed's SDK.</summary>
    public string SdkReference => $"Mooring.Sdk/{Version}";

    public ValueTask DisposeAsync()
    {
        LocalPackages.TryDeleteDirectory(Root);
        if (_ownsPackages)
        {
            LocalPackages.RemoveFromNuGetCache(["mooring", "mooring.sdk"], Version);
        }

        return ValueTask.CompletedTask;
    }
}
