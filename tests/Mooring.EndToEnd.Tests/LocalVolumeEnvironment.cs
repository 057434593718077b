using Mooring.TestFixtures;

namespace Mooring.EndToEnd.Tests;

/// <summary>
/// One private dockerd, one freshly packed SDK, and the LocalVolume sample as a consumer project of that SDK
/// (its sources copied next to a &lt;Project Sdk="Mooring.Sdk/version"&gt;). The NativeAOT publish happens once, in
/// the first step of the scenario, and every later step reuses its output.
/// </summary>
public sealed class LocalVolumeEnvironment : IAsyncLifetime
{
    public const string PluginName = "localvolume";
    public const string Image = "mooring-busybox:latest";

    public PrivateDockerd Dockerd { get; private set; } = null!;

    public SdkPackageFeed Feed { get; private set; } = null!;

    /// <summary>The consumer project folder.</summary>
    public string Project { get; private set; } = "";

    /// <summary>Plugin IDs seen in this run (to check their host folders are gone afterwards).</summary>
    public HashSet<string> PluginIds { get; } = [];

    public bool Available => PrivateDockerd.UnavailableReason() is null;

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        var feed = SdkPackageFeed.CreateAsync();
        var daemon = PrivateDockerd.StartAsync(ownContainerd: true);
        try
        {
            await Task.WhenAll(feed, daemon);
        }
        finally
        {
            // Whatever started must be cleaned up even when the other failed.
            if (feed.IsCompletedSuccessfully)
            {
                Feed = feed.Result;
            }

            if (daemon.IsCompletedSuccessfully)
            {
                Dockerd = daemon.Result;
            }
        }

        await Dockerd.ImportBusyboxAsync(Image);
        Project = Feed.CreateConsumerDirectory("localvolume");
        foreach (var source in Directory.GetFiles(RepositoryLayout.PathOf("samples", "LocalVolume"), "*.cs"))
        {
            File.Copy(source, Path.Combine(Project, Path.GetFileName(source)));
        }

        await File.WriteAllTextAsync(Path.Combine(Project, "LocalVolume.csproj"), $"""
            <Project Sdk="{Feed.SdkReference}">
              <PropertyGroup>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <PluginName>{PluginName}</PluginName>
              </PropertyGroup>
            </Project>
            """);
    }

    /// <summary><c>dotnet publish -t:PluginCreate</c> against the private daemon, with the 20.10 CLI.</summary>
    public Task<ProcessResult> PublishPluginCreateAsync(params string[] extra) =>
        DotnetCli.RunAsync(Project, ["publish", "-t:PluginCreate", "-v:n", "-p:PluginDockerCli=" + PrivateDockerd.DockerCliPath, .. extra],
            new Dictionary<string, string?> { ["DOCKER_HOST"] = Dockerd.Host }, TimeSpan.FromMinutes(15));

    public async Task DisposeAsync()
    {
        if (Dockerd is not null)
        {
            // Best effort: a failed step may have left the plugin enabled with volumes.
            await Dockerd.RemovePluginAsync(PluginName);
            await Dockerd.DisposeAsync();
        }

        if (Feed is not null)
        {
            await Feed.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalVolumeCollection : ICollectionFixture<LocalVolumeEnvironment>
{
    public const string Name = "LocalVolume plugin in a private dockerd";
}
