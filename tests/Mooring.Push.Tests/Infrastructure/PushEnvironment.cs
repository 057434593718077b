using System.Text.Json.Nodes;
using Mooring.TestFixtures;

namespace Mooring.Push.Tests.Infrastructure;

/// <summary>
/// Shared by every test: the freshly packed SDK, the LocalVolume sample as a consumer project of it (NativeAOT-published once),
/// an anonymous registry, and — for the install test only — a private dockerd started on first use.
/// </summary>
public sealed class PushEnvironment : IAsyncLifetime
{
    public const string ProjectName = "LocalVolume";
    public const string PluginName = "localvolume";

    /// <summary>The SOURCE_DATE_EPOCH of the cold build and of the warm build it is compared with.</summary>
    public const string ReproducibleEpoch = "1700000000";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private ProcessResult? _publish;
    private Task<PushRun>? _coldPush;

    public SdkPackageFeed Feed { get; private set; } = null!;

    public PrivateRegistry Registry { get; private set; } = null!;

    public PrivateDockerd? Dockerd { get; private set; }

    /// <summary>The consumer project folder.</summary>
    public string Project { get; private set; } = "";

    /// <summary>An empty DOCKER_CONFIG, so the machine's docker login never leaks into a test.</summary>
    public string EmptyDockerConfig { get; private set; } = "";

    public string PluginDirectory => Path.Combine(Project, "bin", "Release", "net10.0", BuildMachine.RuntimeIdentifier, "plugin");

    public async Task InitializeAsync()
    {
        var feed = SdkPackageFeed.CreateAsync();
        var registry = PrivateRegistry.StartAnonymousAsync();
        try
        {
            await Task.WhenAll(feed, registry);
        }
        finally
        {
            if (feed.IsCompletedSuccessfully)
            {
                Feed = feed.Result;
            }

            if (registry.IsCompletedSuccessfully)
            {
                Registry = registry.Result;
            }
        }

        Project = Feed.CreateConsumerDirectory("push");
        EmptyDockerConfig = Directory.CreateDirectory(Path.Combine(Feed.Root, "docker-config-empty")).FullName;
        WriteProject(Project);

        // A second consumer folder with a longer path (push-again-… beside push-…) builds from scratch now, beside the
        // shared publish and the other tests, instead of after them: the longest single step of this collection.
        ColdProject = Feed.CreateConsumerDirectory("push-again");
        WriteProject(ColdProject);
        _coldPush = PushColdAsync();
    }

    /// <summary>The second consumer folder, built cold (see <see cref="ColdPushAsync"/>).</summary>
    public string ColdProject { get; private set; } = "";

    /// <summary>
    /// <c>dotnet publish -t:PluginPush</c> in <see cref="ColdProject"/> with SOURCE_DATE_EPOCH=<see cref="ReproducibleEpoch"/>
    /// to <c>twice/two</c>: its own restore, compile and NativeAOT link from scratch, started when the collection starts.
    /// </summary>
    public Task<PushRun> ColdPushAsync() => _coldPush ?? throw new InvalidOperationException("the environment is not initialised");

    private Task<PushRun> PushColdAsync() =>
        RunInAsync(ColdProject, "PluginPush", ["-p:PluginRegistry=" + Registry.Address, "-p:PluginRepository=twice/two"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = ReproducibleEpoch });

    /// <summary>Copies the LocalVolume sample's sources next to a project file that uses the packed SDK.</summary>
    public void WriteProject(string directory)
    {
        foreach (var source in Directory.GetFiles(RepositoryLayout.PathOf("samples", "LocalVolume"), "*.cs"))
        {
            File.Copy(source, Path.Combine(directory, Path.GetFileName(source)), overwrite: true);
        }

        File.WriteAllText(Path.Combine(directory, ProjectName + ".csproj"), $"""
            <Project Sdk="{Feed.SdkReference}">
              <PropertyGroup>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <PluginName>{PluginName}</PluginName>
                <Version>1.2.3</Version>
              </PropertyGroup>
            </Project>
            """);
    }

    /// <summary>The NativeAOT publish (-t:PluginDirectory), once for all tests; later pushes reuse its output.</summary>
    public async Task<ProcessResult> EnsurePublishedAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _publish ??= await DotnetCli.RunAsync(Project, ["publish", "-t:PluginDirectory", "-v:n"], Environment(), TimeSpan.FromMinutes(20));
            return _publish;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// <c>dotnet publish -t:&lt;target&gt;</c> in the shared project, after its publish, with the given properties; the
    /// summary file is read back when the push wrote one. The shared publish restored the project, so the run skips the
    /// restore (2.2 of the 5.7 CPU-seconds of an up-to-date run, measured 2026-12-02) unless <paramref name="restore"/>
    /// says it changes what is restored (another runtime identifier).
    /// </summary>
    public async Task<PushRun> RunAsync(string target, IEnumerable<string> properties, IReadOnlyDictionary<string, string?>? environment = null,
        bool restore = false)
    {
        var published = await EnsurePublishedAsync();
        Assert.True(published.Succeeded, "The shared publish failed:\n" + published.Output);
        return await RunInAsync(Project, target, restore ? properties : ["--no-restore", .. properties], environment);
    }

    public Task<PushRun> PushAsync(params string[] properties) =>
        RunAsync("PluginPush", ["-p:PluginRegistry=" + Registry.Address, .. properties]);

    /// <summary>The private dockerd (started on first use) with the busybox image imported.</summary>
    public async Task<PrivateDockerd> GetDockerdAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (Dockerd is null)
            {
                Dockerd = await PrivateDockerd.StartAsync();
                await Dockerd.ImportBusyboxAsync("mooring-busybox:latest");
            }

            return Dockerd;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<PushRun> RunInAsync(string project, string target, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var summary = Path.Combine(Feed.Root, "summary-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        var result = await DotnetCli.RunAsync(project,
            ["publish", "-t:" + target, "-v:n", "-p:PluginPushSummaryFile=" + summary, .. arguments],
            Environment(environment), TimeSpan.FromMinutes(30));
        return new PushRun(result, File.Exists(summary) ? JsonNode.Parse(await File.ReadAllTextAsync(summary))!.AsObject() : null);
    }

    private Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOCKER_CONFIG"] = EmptyDockerConfig,
            ["SOURCE_DATE_EPOCH"] = null,
            ["MOORING_REGISTRY_USERNAME"] = null,
            ["MOORING_REGISTRY_PASSWORD"] = null,
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = null,
            ["DOTNET_CONTAINER_REGISTRY_PWORD"] = null,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return environment;
    }

    public async Task DisposeAsync()
    {
        if (_coldPush is not null)
        {
            // Never delete the folders under a build that is still running (when its test did not run or failed early).
            await _coldPush.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        if (Dockerd is not null)
        {
            await Dockerd.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        if (Feed is not null)
        {
            await Feed.DisposeAsync();
        }
    }
}

/// <summary>One CLI run: its output, and the push summary when one was written.</summary>
public sealed record PushRun(ProcessResult Process, JsonObject? Summary)
{
    public JsonObject RequireSummary() => Summary ?? throw new Xunit.Sdk.XunitException("No push summary was written:\n" + Process.Output);

    public string Get(string name) => RequireSummary()[name]!.GetValue<string>();

    public long Number(string name) => RequireSummary()[name]!.GetValue<long>();
}

[CollectionDefinition(Name)]
public sealed class PushCollection : ICollectionFixture<PushEnvironment>
{
    public const string Name = "PluginPush against real registries";
}
