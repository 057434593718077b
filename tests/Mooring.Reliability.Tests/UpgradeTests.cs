using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// LocalVolume pushed to a registry as two tags, installed under an alias, upgraded while volumes exist: the state
/// and the data live under the propagated mount, which <c>docker plugin upgrade</c> keeps, so nothing is lost — and
/// a daemon restart afterwards loses nothing either.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class UpgradeTests : IAsyncLifetime
{
    private const string Alias = "lv";
    private const string Image = "mooring-busybox:latest";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mooring-relup-" + Guid.NewGuid().ToString("N")[..8]);
    private PrivateDockerd? _dockerd;
    private PrivateRegistry? _registry;

    public async Task InitializeAsync()
    {
        if (PrivateDockerd.UnavailableReason() is not null)
        {
            return;
        }

        Directory.CreateDirectory(_root);
        _registry = await PrivateRegistry.StartAnonymousAsync();
        _dockerd = await PrivateDockerd.StartAsync();
        await _dockerd.ImportBusyboxAsync(Image);
    }

    public async Task DisposeAsync()
    {
        if (_dockerd is not null)
        {
            await _dockerd.RemovePluginAsync(Alias);
            await _dockerd.DisposeAsync();
        }

        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [DockerFact(NeedsRegistry = true)]
    public async Task Upgrading_to_a_new_tag_under_an_alias_and_restarting_the_daemon_keep_volumes_and_data()
    {
        var docker = _dockerd!;
        var repository = $"{_registry!.Address}/mooring/localvolume";
        await PushAsync("1.0.0", sourceDateEpoch: 1700000000);
        await PushAsync("2.0.0", sourceDateEpoch: 1700000001);

        var install = await docker.DockerAsync("plugin", "install", "--grant-all-permissions", "--alias", Alias, repository + ":1.0.0");
        Assert.True(install.Succeeded, install.Output);
        var layerBefore = (await docker.DockerAsync("plugin", "inspect", Alias, "--format", "{{.Config.Rootfs.DiffIds}}")).EnsureSuccess().StandardOutput.Trim();
        (await docker.DockerAsync("volume", "create", "-d", Alias, "-o", "mode=0750", "keep")).EnsureSuccess();
        (await docker.DockerAsync("run", "--rm", "-v", "keep:/d", Image, "sh", "-c", "echo v1 > /d/f")).EnsureSuccess();

        (await docker.DockerAsync("plugin", "disable", "-f", Alias)).EnsureSuccess();
        var upgrade = await docker.DockerAsync("plugin", "upgrade", "--grant-all-permissions", "--skip-remote-check", Alias, repository + ":2.0.0");
        Assert.True(upgrade.Succeeded, upgrade.Output);
        (await docker.DockerAsync("plugin", "enable", Alias)).EnsureSuccess();
        var reference = (await docker.DockerAsync("plugin", "inspect", Alias, "--format", "{{.PluginReference}}")).EnsureSuccess().StandardOutput.Trim();
        Assert.EndsWith(":2.0.0", reference, StringComparison.Ordinal);
        // A real upgrade: the engine now runs another layer, not the same image under another name.
        var layerAfter = (await docker.DockerAsync("plugin", "inspect", Alias, "--format", "{{.Config.Rootfs.DiffIds}}")).EnsureSuccess().StandardOutput.Trim();
        Assert.StartsWith("[sha256:", layerBefore, StringComparison.Ordinal);
        Assert.NotEqual(layerBefore, layerAfter);
        await AssertKeptAsync(docker, "after the upgrade");

        await docker.RestartAsync();
        await AssertKeptAsync(docker, "after a daemon restart");

        (await docker.DockerAsync("volume", "rm", "keep")).EnsureSuccess();
        Assert.DoesNotContain("keep", (await docker.DockerAsync("volume", "ls", "-q")).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    private static async Task AssertKeptAsync(PrivateDockerd docker, string when)
    {
        var list = await docker.DockerAsync("volume", "ls", "-q");
        Assert.True(list.StandardOutput.Split('\n', StringSplitOptions.TrimEntries).Count(l => l == "keep") == 1, $"{when}: {list.Output}");
        var read = await docker.DockerAsync("run", "--rm", "-v", "keep:/d", Image, "sh", "-c", "cat /d/f && stat -c %a /d");
        Assert.True(read.Succeeded, $"{when}: {read.Output}");
        Assert.Equal("v1\n750", read.StandardOutput.Trim());
    }

    private async Task PushAsync(string tag, long sourceDateEpoch)
    {
        // Pushed from the build folder of the samples' shared publish, at the sample's own version, so neither push
        // compiles anything: what upgrades is the plugin image, and another SOURCE_DATE_EPOCH gives 2.0.0 another layer
        // (every entry's time) and so another digest, as a new build would. Both samples are awaited first: this process
        // never publishes into that folder after that, so nothing else builds there meanwhile.
        await PublishedSamples.GetAsync("TmpfsVolume");
        var artifacts = (await PublishedSamples.GetAsync("LocalVolume")).ArtifactsPath;
        var push = await DotnetCli.RunAsync(_root,
            ["publish", RepositoryLayout.PathOf("samples", "LocalVolume", "LocalVolume.csproj"), "-t:PluginPush", "-c", "Release",
             "-p:PluginTag=" + tag, "-p:SOURCE_DATE_EPOCH=" + sourceDateEpoch, "-p:PluginRegistry=" + _registry!.Address,
             "-p:PluginRepository=mooring/localvolume", "-p:PluginDirectory=" + Path.Combine(_root, "plugin-" + tag) + "/",
             "-p:ArtifactsPath=" + artifacts, "-v:q"],
            timeout: TimeSpan.FromMinutes(15));
        push.EnsureSuccess();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection
{
    public const string Name = "private dockerd (one at a time)";
}
