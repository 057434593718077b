using System.Globalization;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests.Infrastructure;

/// <summary>
/// Mooring, Mooring.Sdk, Mooring.Testing and Mooring.Templates packed from this repository into a private folder at a
/// version no other run uses (0.1.0-tpl.&lt;timestamp&gt;), the templates installed into a private template hive
/// (<c>--debug:custom-hive</c>), and a workspace whose nuget.config points at the folder plus nuget.org.
/// Disposing removes all of it, including this version's copies in the NuGet cache. Under eng/test.sh the packages are the
/// run's (<see cref="LocalPackages.RunPackages"/>), packed once: then the hive and the workspace are this feed's own, and
/// the packages and their cached copies are left to eng/test.sh.
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

    private readonly bool _ownsPackages;

    private TemplateFeed(string root, string version, string? feedDirectory = null)
    {
        Root = root;
        Version = version;
        FeedDirectory = feedDirectory ?? Path.Combine(root, "feed");
        _ownsPackages = feedDirectory is null;
    }

    /// <summary>The temp folder holding hive/, work/ and (when this feed packed its own packages) feed/.</summary>
    public string Root { get; }

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; }

    public string FeedDirectory { get; }

    public string HiveDirectory => Path.Combine(Root, "hive");

    /// <summary>Where instances are created: it has the nuget.config and stops the repository's MSBuild files.</summary>
    public string WorkDirectory => Path.Combine(Root, "work");

    public string TemplatePackage => Path.Combine(FeedDirectory, $"Mooring.Templates.{Version}.nupkg");

    public static async Task<TemplateFeed> CreateAsync(CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-tpl-").FullName;
        var run = LocalPackages.RunPackages();
        var suffix = "tpl." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var feed = run is { } shared ? new TemplateFeed(root, shared.Version, shared.Directory) : new TemplateFeed(root, "0.1.0-" + suffix);
        try
        {
            if (run is null)
            {
                await LocalPackages.PackAsync(PackedProjects, feed.FeedDirectory, suffix, cancellationToken);
            }

            feed.PrepareWorkDirectory();
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

    public ValueTask DisposeAsync()
    {
        LocalPackages.TryDeleteDirectory(Root);
        if (_ownsPackages)
        {
            LocalPackages.RemoveFromNuGetCache(["mooring", "mooring.sdk", "mooring.testing", "mooring.templates"], Version);
        }

        return ValueTask.CompletedTask;
    }

    private void PrepareWorkDirectory()
    {
        Directory.CreateDirectory(WorkDirectory);
        LocalPackages.WriteNuGetConfig(WorkDirectory, FeedDirectory, "mooring-templates-test");

        // When the temp folder is inside a repository, its Directory.Build.* and central package versions must not leak in.
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Packages.props"), "<Project />\n");
    }
}
