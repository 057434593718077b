namespace Mooring.TestFixtures;

/// <summary>
/// Mooring and Mooring.Sdk as a consumer project gets them (<see cref="PackedFeed"/>: the run's packages, or packed
/// here), and a temp folder for the consumers' projects, each with a nuget.config that lists the feed plus nuget.org.
/// Disposing removes the folder, and the packages when this feed packed them.
/// </summary>
public sealed class SdkPackageFeed : IAsyncDisposable
{
    private static readonly string[] PackedProjects = ["sdk/Mooring/Mooring.csproj", "sdk/Mooring.Sdk/Mooring.Sdk.csproj"];

    private readonly PackedFeed _packages;

    private SdkPackageFeed(string root, PackedFeed packages)
    {
        Root = root;
        _packages = packages;
    }

    /// <summary>A temp folder holding the consumers' projects (and feed/, when this feed packed its own packages).</summary>
    public string Root { get; }

    /// <summary>The package version of this run.</summary>
    public string Version => _packages.Version;

    public string FeedDirectory => _packages.FeedDirectory;

    /// <summary>The project-file header for this feed's SDK.</summary>
    public string SdkReference => $"Mooring.Sdk/{Version}";

    /// <summary>The run's packages, or sdk/Mooring and sdk/Mooring.Sdk packed (Release) into a new feed.</summary>
    public static async Task<SdkPackageFeed> CreateAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-sdk-").FullName;
        try
        {
            return new SdkPackageFeed(root, await PackedFeed.ObtainAsync(PackedProjects, Path.Combine(root, "feed"), "test", cancellationToken));
        }
        catch
        {
            LocalPackages.TryDeleteDirectory(root);
            throw;
        }
    }

    /// <summary>Creates an empty consumer directory with a nuget.config pointing at the feed.</summary>
    public string CreateConsumerDirectory(string name)
    {
        var directory = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        _packages.PrepareConsumerDirectory(directory, "mooring-test");
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        await _packages.DisposeAsync();
        LocalPackages.TryDeleteDirectory(Root);
    }
}
