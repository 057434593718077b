namespace Mooring.TestFixtures;

/// <summary>
/// The freshly packed Mooring and Mooring.Sdk packages in a private folder, at a version no other run uses
/// (0.1.0-test.&lt;timestamp&gt;), so the NuGet caches can never hand a test a stale SDK. Consumers get a
/// nuget.config with that folder plus nuget.org. Disposing removes the feed and the cached copies.
/// </summary>
public sealed class SdkPackageFeed : IAsyncDisposable
{
    private SdkPackageFeed(string root, string version)
    {
        Root = root;
        Version = version;
    }

    /// <summary>A temp folder holding feed/ and the consumers' projects.</summary>
    public string Root { get; }

    /// <summary>The package version of this run.</summary>
    public string Version { get; }

    public string FeedDirectory => Path.Combine(Root, "feed");

    /// <summary>Packs sdk/Mooring and sdk/Mooring.Sdk (Release) into a new feed.</summary>
    public static async Task<SdkPackageFeed> CreateAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-sdk-").FullName;
        var suffix = "test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        var feed = new SdkPackageFeed(root, "0.1.0-" + suffix);
        try
        {
            // Packing builds inside the repository: keep the caller's ArtifactsPath (each builder has its own).
            var environment = new Dictionary<string, string?>();
            if (Environment.GetEnvironmentVariable("ArtifactsPath") is { Length: > 0 } artifacts)
            {
                environment["ArtifactsPath"] = artifacts;
            }

            // Test projects run in parallel and would pack the same projects into the same artifacts folder at once.
            await using var packLock = await AcquirePackLockAsync(cancellationToken);
            foreach (var project in new[] { "sdk/Mooring/Mooring.csproj", "sdk/Mooring.Sdk/Mooring.Sdk.csproj" })
            {
                (await DotnetCli.RunAsync(RepositoryLayout.Root,
                    ["pack", project, "-c", "Release", "-o", feed.FeedDirectory, "-p:VersionSuffix=" + suffix],
                    environment, TimeSpan.FromMinutes(10), cancellationToken)).EnsureSuccess();
            }

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
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="mooring-test" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);

        // Stop the repository's Directory.Build.props/.targets and global.json from leaking in when Root is inside it.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        return directory;
    }

    /// <summary>The project-file header for this feed's SDK.</summary>
    public string SdkReference => $"Mooring.Sdk/{Version}";

    public ValueTask DisposeAsync()
    {
        TryDelete(Root);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(packages, "mooring", Version));
        TryDelete(Path.Combine(packages, "mooring.sdk", Version));
        return ValueTask.CompletedTask;
    }

    private static async Task<FileStream> AcquirePackLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "mooring-sdk-pack.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
