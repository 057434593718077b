using Mooring.TestFixtures;
using Xunit.Abstractions;

namespace Mooring.Reliability.Tests;

/// <summary>
/// TmpfsVolume as Docker runs it (a managed plugin in a private dockerd, installed under an alias): the tmpfs makes
/// the ledger's behaviour observable — if a duplicate mount ID or a plugin restart were miscounted, the tmpfs would be
/// unmounted under the container and its data would vanish.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class DockerScenarioTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Alias = "tv";
    private const string Image = "mooring-busybox:latest";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mooring-reld-" + Guid.NewGuid().ToString("N")[..8]);
    private PrivateDockerd? _dockerd;

    public async Task InitializeAsync()
    {
        if (PrivateDockerd.UnavailableReason() is not null)
        {
            return;
        }

        Directory.CreateDirectory(_root);
        _dockerd = await PrivateDockerd.StartAsync();
        await _dockerd.ImportBusyboxAsync(Image);
    }

    public async Task DisposeAsync()
    {
        if (_dockerd is not null)
        {
            await _dockerd.DockerAsync("swarm", "leave", "--force");
            await _dockerd.DockerAsync("rm", "-f", "c1");
            await _dockerd.RemovePluginAsync(Alias);
            await _dockerd.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [DockerFact]
    public async Task Docker_cp_plugin_restart_and_daemon_restart_keep_the_tmpfs_and_its_data()
    {
        var docker = _dockerd!;
        // The run's shared publish: docker plugin create only reads the directory.
        var pluginDirectory = (await PublishedSamples.GetAsync("TmpfsVolume")).PluginDirectory;
        (await docker.DockerAsync("plugin", "create", Alias, pluginDirectory)).EnsureSuccess();
        (await docker.DockerAsync("plugin", "enable", Alias)).EnsureSuccess();

        (await docker.DockerAsync("volume", "create", "-d", Alias, "-o", "size=16m", "scratch")).EnsureSuccess();
        (await docker.DockerAsync("run", "-d", "--name", "c1", "-v", "scratch:/s", Image, "sh", "-c", "echo hello > /s/f && sleep 3600")).EnsureSuccess();
        await WaitForAsync(async () => (await docker.DockerAsync("exec", "c1", "cat", "/s/f")).StandardOutput.Trim() == "hello", "the container to write /s/f");
        var mounts = (await docker.DockerAsync("exec", "c1", "cat", "/proc/mounts")).EnsureSuccess().StandardOutput;
        Assert.Contains(" /s tmpfs ", mounts, StringComparison.Ordinal);
        Assert.Contains("size=16384k", mounts, StringComparison.Ordinal);

        // docker cp mounts the container's volumes again under the container's own ID, then unmounts them.
        var source = Path.Combine(_root, "copied.txt");
        await File.WriteAllTextAsync(source, "copied");
        (await docker.DockerAsync("cp", source, "c1:/s/copied.txt")).EnsureSuccess();
        (await docker.DockerAsync("cp", "c1:/s/f", Path.Combine(_root, "f-out"))).EnsureSuccess();
        Assert.Equal("hello", (await docker.DockerAsync("exec", "c1", "cat", "/s/f")).EnsureSuccess().StandardOutput.Trim());
        Assert.Equal("copied", (await docker.DockerAsync("exec", "c1", "cat", "/s/copied.txt")).EnsureSuccess().StandardOutput.Trim());
        Assert.Single(HostTmpfsMounts());

        // The plugin process dies (SIGKILL): dockerd restarts it without touching its mounts, and the restarted plugin
        // adopts the tmpfs its ledger counts — same tmpfs, same data, count still 1.
        var pid = PluginPid();
        Posix.Kill(pid, Posix.SigKill);
        await WaitForAsync(async () => PluginPidOrZero() is var p && p != 0 && p != pid
            && (await docker.DockerAsync("volume", "inspect", "scratch", "--format", "{{json .Status}}")).StandardOutput.Contains("\"mounts\":\"1\"", StringComparison.Ordinal),
            "dockerd to restart the killed plugin");
        Assert.Single(HostTmpfsMounts());
        Assert.Equal("hello", (await docker.DockerAsync("exec", "c1", "cat", "/s/f")).EnsureSuccess().StandardOutput.Trim());
        Assert.False((await docker.DockerAsync("volume", "rm", "scratch")).Succeeded);

        // disable -f while in use: dockerd SIGKILLs the plugin and then RecursiveUnmount()s its folder on the host
        // (moby HandleExitEvent), which takes the host side of the tmpfs away. The container's own mount still holds the
        // tmpfs, so its data stays; the restarted plugin finds no tmpfs where its ledger counted one and drops the
        // count (a new Mount then mounts a fresh tmpfs instead of handing out the bare directory).
        (await docker.DockerAsync("plugin", "disable", "-f", Alias)).EnsureSuccess();
        Assert.Empty(HostTmpfsMounts());
        (await docker.DockerAsync("plugin", "enable", Alias)).EnsureSuccess();
        Assert.Equal("hello", (await docker.DockerAsync("exec", "c1", "cat", "/s/f")).EnsureSuccess().StandardOutput.Trim());
        var inspect = (await docker.DockerAsync("volume", "inspect", "scratch", "--format", "{{json .Status}}")).EnsureSuccess().StandardOutput;
        Assert.Contains("\"mounts\":\"0\"", inspect, StringComparison.Ordinal);
        var second = await docker.DockerAsync("run", "--rm", "-v", "scratch:/s", Image, "sh", "-c", "grep ' /s tmpfs ' /proc/mounts && test ! -e /s/f");
        Assert.True(second.Succeeded, second.Output);
        Assert.Empty(HostTmpfsMounts());

        // The first container's Unmount is now for an ID the ledger no longer counts: harmless, nothing leaks.
        (await docker.DockerAsync("rm", "-f", "c1")).EnsureSuccess();
        Assert.Empty(HostTmpfsMounts());

        // The daemon restarts: the volume (a record in the state store) is still there and mounts afresh.
        await docker.RestartAsync();
        await WaitForAsync(async () => (await docker.DockerAsync("volume", "ls", "-q")).StandardOutput.Contains("scratch", StringComparison.Ordinal), "the volume after a daemon restart");
        var again = await docker.DockerAsync("run", "--rm", "-v", "scratch:/s", Image, "sh", "-c", "test ! -e /s/f && grep ' /s tmpfs ' /proc/mounts");
        Assert.True(again.Succeeded, again.Output);
        Assert.Empty(HostTmpfsMounts());
        (await docker.DockerAsync("volume", "rm", "scratch")).EnsureSuccess();

        await SwarmAsync(docker);
    }

    private async Task SwarmAsync(PrivateDockerd docker)
    {
        var init = await docker.DockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:" + FreePort());
        output.WriteLine(init.Output);
        Assert.True(init.Succeeded, "swarm init on the private daemon failed:\n" + init.Output);
        (await docker.DockerAsync("volume", "create", "-d", Alias, "-o", "size=8m", "swarmvol")).EnsureSuccess();
        var service = await docker.DockerAsync(["service", "create", "--detach", "--name", "writer", "--restart-condition", "none",
            "--mount", $"type=volume,volume-driver={Alias},source=swarmvol,target=/s", Image, "sh", "-c", "echo from-swarm > /s/f && sleep 3600"],
            TimeSpan.FromMinutes(3));
        Assert.True(service.Succeeded, service.Output);

        // The task's tmpfs is mounted on the host through the propagated mount: read what the task wrote there.
        string? written = null;
        await WaitForAsync(() =>
        {
            written = HostTmpfsMounts().Select(m => Path.Combine(m, "f")).Where(File.Exists).Select(File.ReadAllText).FirstOrDefault();
            return Task.FromResult(written is not null);
        }, "the swarm task to write into its volume");
        Assert.Equal("from-swarm", written!.Trim());
        (await docker.DockerAsync("service", "rm", "writer")).EnsureSuccess();
        await WaitForAsync(() => Task.FromResult(HostTmpfsMounts().Count == 0), "the task's volume to be unmounted");
    }

    private IReadOnlyList<string> HostTmpfsMounts() =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(f => f[4].StartsWith(_dockerd!.Root, StringComparison.Ordinal) && f[4].Contains("/propagated-mount/volumes/", StringComparison.Ordinal))
            .Select(f => f[4])
            .Distinct()
            .ToArray();

    private static int PluginPid() => PluginPidOrZero() is var pid and not 0 ? pid : throw new InvalidOperationException("no /app/TmpfsVolume process");

    // The plugin's process, seen from the host: its executable is /app/TmpfsVolume inside its own root.
    private static int PluginPidOrZero()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid))
            {
                try
                {
                    if (new FileInfo(Path.Combine(directory, "exe")).LinkTarget == "/app/TmpfsVolume")
                    {
                        return pid;
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

        return 0;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("timed out waiting for " + what);
    }
}
