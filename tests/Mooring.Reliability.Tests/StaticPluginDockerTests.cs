using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// samples/LocalVolume built with <c>PluginStaticExecutable=true</c> as Docker runs it: a managed plugin whose rootfs is
/// its binary alone, in a private dockerd. A static glibc has no loader or library to find there, so this is where a
/// missing piece would show (docs/msbuild.md, "A static executable").
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class StaticPluginDockerTests : IAsyncLifetime
{
    private const string Alias = "lvs";
    private const string Image = "mooring-busybox:latest";
    private PrivateDockerd? _dockerd;

    public async Task InitializeAsync()
    {
        if (PrivateDockerd.UnavailableReason() is not null)
        {
            return;
        }

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
    }

    [DockerFact]
    public async Task A_volume_keeps_its_data_across_containers_and_a_plugin_restart_and_is_removed()
    {
        var docker = _dockerd!;
        var pluginDirectory = (await PublishedSamples.GetAsync("LocalVolume:static")).PluginDirectory;
        (await docker.DockerAsync("plugin", "create", Alias, pluginDirectory)).EnsureSuccess();
        (await docker.DockerAsync("plugin", "enable", Alias)).EnsureSuccess();

        (await docker.DockerAsync("volume", "create", "-d", Alias, "-o", "mode=0750", "kept")).EnsureSuccess();
        (await docker.DockerAsync("run", "--rm", "--network", "none", "-v", "kept:/m", Image, "sh", "-c", "echo hello > /m/f")).EnsureSuccess();
        Assert.Equal("hello", (await docker.DockerAsync("run", "--rm", "--network", "none", "-v", "kept:/m", Image, "cat", "/m/f")).EnsureSuccess().StandardOutput.Trim());

        // dockerd stops the plugin (SIGTERM) and starts it again: it restarts over its state, from its rootfs alone.
        (await docker.DockerAsync("plugin", "disable", "-f", Alias)).EnsureSuccess();
        (await docker.DockerAsync("plugin", "enable", Alias)).EnsureSuccess();
        var status = (await docker.DockerAsync("volume", "inspect", "kept", "--format", "{{json .Status}}")).EnsureSuccess().StandardOutput;
        Assert.Contains("\"mode\":\"0750\"", status, StringComparison.Ordinal);
        Assert.Equal("hello", (await docker.DockerAsync("run", "--rm", "--network", "none", "-v", "kept:/m", Image, "cat", "/m/f")).EnsureSuccess().StandardOutput.Trim());

        (await docker.DockerAsync("volume", "rm", "kept")).EnsureSuccess();
        Assert.Equal("", (await docker.DockerAsync("volume", "ls", "-q")).EnsureSuccess().StandardOutput.Trim());
    }
}
