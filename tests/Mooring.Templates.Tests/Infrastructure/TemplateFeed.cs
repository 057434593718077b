using Mooring.TestFixtures;

namespace Mooring.Templates.Tests.Infrastructure;

/// <summary>
/// Mooring, Mooring.Sdk, Mooring.Testing and Mooring.Templates as a user gets them (<see cref="PackedFeed"/>: the run's
/// packages, or packed here), the templates installed into a private template hive (<c>--debug:custom-hive</c>), and a
/// workspace whose nuget.config points at the feed plus nuget.org. Disposing removes the hive and the workspace, and the
/// packages when this feed packed them.
/// </summary>
public sealed class TemplateFeed : IAsyncDisposable
{
    private static readonly string[] PackedProjects =
    [
        "sdk/Mooring/Mooring.csproj",
        "sdk/Mooring.Sdk/Mooring.Sdk.csproj",
        "sdk/Mooring.Testing/Mooring.Testing.csproj",
        "templates/Mooring.Templates/Mooring.Templates.csproj",
    ];

    // `dotnet new` keeps per-hive state; calls on one hive are serialised (as dotnet/aspnetcore's template tests do).
    private readonly SemaphoreSlim _dotnetNew = new(1, 1);

    private readonly PackedFeed _packages;

    private TemplateFeed(string root, PackedFeed packages)
    {
        Root = root;
        _packages = packages;
    }

    /// <summary>The temp folder holding hive/, work/ and (when this feed packed its own packages) feed/.</summary>
    public string Root { get; }

    /// <summary>The version every package of this run carries.</summary>
    public string Version => _packages.Version;

    public string FeedDirectory => _packages.FeedDirectory;

    public string HiveDirectory => Path.Combine(Root, "hive");

    /// <summary>Where instances are created: it has the nuget.config and stops the repository's MSBuild files.</summary>
    public string WorkDirectory => Path.Combine(Root, "work");

    public string TemplatePackage => Path.Combine(FeedDirectory, $"Mooring.Templates.{Version}.nupkg");

    public static async Task<TemplateFeed> CreateAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-tpl-").FullName;
        PackedFeed packages;
        try
        {
            packages = await PackedFeed.ObtainAsync(PackedProjects, Path.Combine(root, "feed"), "tpl", cancellationToken);
        }
        catch
        {
            LocalPackages.TryDeleteDirectory(root);
            throw;
        }

        var feed = new TemplateFeed(root, packages);
        try
        {
            packages.PrepareConsumerDirectory(feed.WorkDirectory, "mooring-templates-test");
            var install = await feed.DotnetNewAsync(feed.Root, ["install", feed.TemplatePackage], cancellationToken);
            install.EnsureSuccess();
            return feed;
        }
        catch
        {
            await feed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>dotnet new ARGS --debug:custom-hive HIVE</c>.</summary>
    public async Task<ProcessResult> DotnetNewAsync(string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        await _dotnetNew.WaitAsync(cancellationToken);
        try
        {
            return await DotnetCli.RunAsync(workingDirectory, ["new", .. arguments, "--debug:custom-hive", HiveDirectory],
                timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
        }
        finally
        {
            _dotnetNew.Release();
        }
    }

    /// <summary>Instantiates <c>dockervolume</c> into a new folder under the workspace and returns that folder.</summary>
    public async Task<(string Directory, ProcessResult Result)> NewDockerVolumeAsync(string name, params string[] options)
    {
        var output = Path.Combine(WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await DotnetNewAsync(WorkDirectory, ["dockervolume", "-n", name, "-o", output, .. options]);
        return (output, result);
    }

    public async ValueTask DisposeAsync()
    {
        await _packages.DisposeAsync();
        LocalPackages.TryDeleteDirectory(Root);
    }
}
