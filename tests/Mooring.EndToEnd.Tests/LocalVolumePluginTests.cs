using System.Text.Json.Nodes;
using Mooring.TestFixtures;
using Xunit.Abstractions;

namespace Mooring.EndToEnd.Tests;

/// <summary>
/// The user's path with the LocalVolume sample, against a real engine: publish -t:PluginCreate, volumes with
/// options, containers that write and read, errors at the CLI, implicit create, disable/enable, daemon restart,
/// replacement, and a clean teardown. The steps share one daemon and one plugin and run in order.
/// </summary>
[Collection(LocalVolumeCollection.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class LocalVolumePluginTests(LocalVolumeEnvironment env, ITestOutputHelper output)
{
    private const string Driver = LocalVolumeEnvironment.PluginName;
    private const string Image = LocalVolumeEnvironment.Image;

    [DockerFact]
    [Step(1)]
    public async Task Publish_PluginCreate_creates_and_enables_the_plugin_from_a_clean_project()
    {
        var publish = await env.PublishPluginCreateAsync("-p:PluginEnable=true");

        Assert.True(publish.Succeeded, publish.Output + "\n--- dockerd log ---\n" + env.Dockerd.ReadLog());
        Assert.Contains($"Created plugin {Driver}", publish.StandardOutput);
        Assert.Contains($"Enabled plugin {Driver}", publish.StandardOutput);
        var inspect = await Docker("plugin", "inspect", "--format", "{{.Id}} {{.Enabled}} {{.Config.Interface.Socket}}", Driver);
        var parts = inspect.StandardOutput.Trim().Split(' ');
        Assert.Equal(["true", "localvolume.sock"], parts[1..]);
        env.PluginIds.Add(parts[0]);
    }

    [DockerFact]
    [Step(2)]
    public async Task PluginCreate_again_with_no_change_does_nothing()
    {
        var before = (await Docker("plugin", "inspect", "--format", "{{.Id}}", Driver)).StandardOutput.Trim();

        var again = await env.PublishPluginCreateAsync("-p:PluginEnable=true");

        Assert.True(again.Succeeded, again.Output);
        Assert.Contains("is up to date", again.StandardOutput);
        Assert.DoesNotContain("Created plugin", again.StandardOutput);
        Assert.Equal(before, (await Docker("plugin", "inspect", "--format", "{{.Id}}", Driver)).StandardOutput.Trim());
    }

    [DockerFact]
    [Step(3)]
    public async Task A_volume_with_options_is_written_by_one_container_and_read_by_another()
    {
        await Docker("volume", "create", "-d", Driver, "-o", "mode=0750", "-o", "uid=1234", "-o", "gid=4321", "v1");

        var write = await Docker("run", "--rm", "--network", "none", "-v", "v1:/m", Image, "sh", "-c", "stat -c '%a %u %g' /m && echo hello > /m/greeting");
        Assert.Equal("750 1234 4321", write.StandardOutput.Trim());

        var read = await Docker("run", "--rm", "--network", "none", "-v", "v1:/m:ro", Image, "cat", "/m/greeting");
        Assert.Equal("hello", read.StandardOutput.Trim());

        // The driver filter matches the full plugin reference ("localvolume:latest"), so list everything.
        var list = await Docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}");
        Assert.Contains($"{Driver}:latest v1", list.StandardOutput);

        var status = await Docker("volume", "inspect", "--format", "{{index .Status \"mode\"}}|{{index .Status \"mounts\"}}|{{.Mountpoint}}", "v1");
        var fields = status.StandardOutput.Trim().Split('|');
        Assert.Equal("0750", fields[0]);
        Assert.Equal("0", fields[1]);
        Assert.StartsWith("/data/", fields[2]);

        await Docker("volume", "rm", "v1");
        var after = await Docker("volume", "ls", "-q");
        Assert.DoesNotContain("v1", after.StandardOutput.Split('\n').Select(l => l.Trim()));
    }

    [DockerFact]
    [Step(4)]
    public async Task The_drivers_error_text_reaches_the_cli()
    {
        var unknown = await env.Dockerd.DockerAsync("volume", "create", "-d", Driver, "-o", "bogus=1", "bad1");
        Assert.False(unknown.Succeeded);
        Assert.Contains("VolumeDriver.Create", unknown.StandardError);
        Assert.Contains("bogus", unknown.StandardError);

        var badMode = await env.Dockerd.DockerAsync("volume", "create", "-d", Driver, "-o", "mode=banana", "bad2");
        Assert.False(badMode.Succeeded);
        Assert.Contains("banana", badMode.StandardError);
        Assert.Contains("bad2", badMode.StandardError);

        var badUid = await env.Dockerd.DockerAsync("volume", "create", "-d", Driver, "-o", "uid=minus-one", "bad3");
        Assert.False(badUid.Succeeded);
        Assert.Contains("uid", badUid.StandardError);

        var list = await Docker("volume", "ls", "-q");
        Assert.DoesNotContain("bad", list.StandardOutput);
    }

    [DockerFact]
    [Step(5)]
    public async Task Run_with_volume_driver_creates_the_volume_implicitly()
    {
        await Docker("run", "--rm", "--network", "none", "--volume-driver", Driver, "-v", "implicit:/m", Image, "touch", "/m/made-by-run");

        var inspect = await Docker("volume", "inspect", "--format", "{{.Driver}}", "implicit");
        Assert.Equal($"{Driver}:latest", inspect.StandardOutput.Trim());
        var read = await Docker("run", "--rm", "--network", "none", "-v", "implicit:/m", Image, "ls", "/m");
        Assert.Equal("made-by-run", read.StandardOutput.Trim());

        await Docker("volume", "rm", "implicit");
    }

    [DockerFact]
    [Step(6)]
    public async Task Disabling_and_enabling_the_plugin_keeps_volumes_and_data()
    {
        await Docker("volume", "create", "-d", Driver, "keep");
        await Docker("run", "--rm", "--network", "none", "-v", "keep:/m", Image, "sh", "-c", "echo kept > /m/file");

        var refused = await env.Dockerd.DockerAsync("plugin", "disable", Driver);
        Assert.False(refused.Succeeded, "disable should refuse while the plugin has volumes");
        await Docker("plugin", "disable", "-f", Driver);
        await Docker("plugin", "enable", Driver);

        var list = await Docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}");
        Assert.Contains($"{Driver}:latest keep", list.StandardOutput.Split('\n').Select(l => l.Trim()));
        var read = await Docker("run", "--rm", "--network", "none", "-v", "keep:/m", Image, "cat", "/m/file");
        Assert.Equal("kept", read.StandardOutput.Trim());
    }

    [DockerFact]
    [Step(7)]
    public async Task Restarting_the_daemon_keeps_volumes_and_data()
    {
        await env.Dockerd.RestartAsync();

        var enabled = await Docker("plugin", "inspect", "--format", "{{.Enabled}}", Driver);
        Assert.Equal("true", enabled.StandardOutput.Trim());
        var read = await RetryAsync(() => env.Dockerd.DockerAsync("run", "--rm", "--network", "none", "-v", "keep:/m", Image, "cat", "/m/file"));
        Assert.Equal("kept", read.StandardOutput.Trim());
        var list = await Docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}");
        Assert.Contains($"{Driver}:latest keep", list.StandardOutput.Split('\n').Select(l => l.Trim()));
    }

    [DockerFact]
    [Step(8)]
    public async Task The_management_socket_is_root_only_and_ctl_finds_the_plugin_by_its_alias()
    {
        var id = await PluginIdAsync();
        // dockerd keeps plugin sockets under /run/docker/plugins/<id> whatever its --exec-root (moby getPluginExecRoot).
        var socket = Path.Combine("/run/docker/plugins", id, "localvolume.ctl.sock");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

        var health = await Ctl("--json", "health");
        Assert.Equal("ready", (string?)JsonNode.Parse(health.StandardOutput)!["status"]);
        var volumes = await Ctl("volumes");
        Assert.Contains("keep", volumes.StandardOutput, StringComparison.Ordinal);

        // curl alone reaches it too, as docs/operations.md shows.
        var curl = await ProcessRunner.RunAsync("curl", ["-sS", "--unix-socket", socket, "http://plugin/volumes"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(curl.Succeeded, curl.Output);
        Assert.Contains("\"name\":\"keep\"", curl.StandardOutput, StringComparison.Ordinal);
    }

    [DockerFact]
    [Step(9)]
    public async Task Kill_9_of_dockerd_while_a_container_holds_a_volume_leaves_a_count_that_forget_clears_so_Remove_works()
    {
        await Docker("volume", "create", "-d", Driver, "held");
        await Docker("run", "-d", "--name", "holder", "--network", "none", "-v", "held:/m", Image, "sleep", "3600");
        Assert.Equal(1, TotalMounts((await Ctl("--json", "volumes")).StandardOutput, "held"));

        // containerd, the shims and the plugin outlive dockerd here (the environment runs containerd on its own); with
        // no Docker API to ask, ctl takes the management socket itself.
        var binary = await CtlBinaryAsync();
        var socket = Path.Combine("/run/docker/plugins", await PluginIdAsync(), "localvolume.ctl.sock");
        await env.Dockerd.CrashAsync();
        var during = await ProcessRunner.RunAsync(binary, ["ctl", "--socket", socket, "--json", "volumes"], timeout: TimeSpan.FromMinutes(1));
        output.WriteLine("ctl while dockerd is down: " + during.Output);
        Assert.True(during.Succeeded, during.Output);
        Assert.Equal(1, TotalMounts(during.StandardOutput, "held"));
        await env.Dockerd.LaunchAgainAsync();

        // Without live-restore the restarted daemon kills the container it lost, and never sends the Unmount: the plugin
        // still counts the mount (it cannot tell a lost Unmount from a live container), so Remove is refused.
        var holder = await Docker("inspect", "--format", "{{.State.Running}}", "holder");
        Assert.Equal("false", holder.StandardOutput.Trim());
        Assert.Equal(1, TotalMounts((await Ctl("--json", "volumes")).StandardOutput, "held"));
        await Docker("rm", "-f", "holder");
        var refused = await env.Dockerd.DockerAsync("volume", "rm", "held");
        Assert.False(refused.Succeeded);
        Assert.Contains("is in use", refused.StandardError, StringComparison.Ordinal);

        var forget = await Ctl("--json", "forget", "held");
        Assert.Equal(0, (int)JsonNode.Parse(forget.StandardOutput)!["totalMounts"]!);
        await Docker("volume", "rm", "held");
        Assert.DoesNotContain("held", (await Docker("volume", "ls", "-q")).StandardOutput.Split('\n').Select(l => l.Trim()));
    }

    [DockerFact]
    [Step(10)]
    public async Task Docker_plugin_set_LOG_LEVEL_changes_what_reaches_dockerds_log()
    {
        var debugProbe = "debug-probe-" + Guid.NewGuid().ToString("N")[..8];
        var infoProbe = "info-probe-" + Guid.NewGuid().ToString("N")[..8];

        await SetLogLevelAsync("debug");
        Assert.False((await env.Dockerd.DockerAsync("volume", "create", "-d", Driver, "-o", "bogus=1", debugProbe)).Succeeded);
        Assert.True(await WaitForLogAsync($"VolumeDriver.Create failed: volume '{debugProbe}'"), "the debug line never reached dockerd's log");

        await SetLogLevelAsync("info");
        Assert.False((await env.Dockerd.DockerAsync("volume", "create", "-d", Driver, "-o", "bogus=1", infoProbe)).Succeeded);
        Assert.False(await WaitForLogAsync($"VolumeDriver.Create failed: volume '{infoProbe}'", TimeSpan.FromSeconds(3)), "a debug line was logged at LOG_LEVEL=info");
    }

    [DockerFact]
    [Step(11)]
    public async Task A_metrics_scrape_after_a_load_run_counts_the_requests_it_sent()
    {
        const int Requests = 200;
        var id = await PluginIdAsync();
        var pluginSocket = Path.Combine("/run/docker/plugins", id, "localvolume.sock");
        var before = CountOf((await Ctl("metrics")).StandardOutput, "VolumeDriver.Path");

        // Path is an endpoint dockerd does not call while nobody uses a volume, so the delta is exactly ours.
        var load = await ProcessRunner.RunAsync("bash",
            ["-c", $"for i in $(seq {Requests}); do curl -sS -o /dev/null --unix-socket '{pluginSocket}' -d '{{\"Name\":\"keep\"}}' http://plugin/VolumeDriver.Path || exit 1; done"],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(load.Succeeded, load.Output);

        var metrics = (await Ctl("metrics")).StandardOutput;
        Assert.Equal(before + Requests, CountOf(metrics, "VolumeDriver.Path"));
        Assert.Contains("mooring_request_duration_seconds_bucket{endpoint=\"VolumeDriver.Path\"", metrics, StringComparison.Ordinal);
        Assert.Contains("mooring_volumes ", metrics, StringComparison.Ordinal);
    }

    private static int TotalMounts(string volumesJson, string volume) =>
        (int)JsonNode.Parse(volumesJson)!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == volume)!["totalMounts"]!;

    private static long CountOf(string metrics, string endpoint)
    {
        var prefix = $"mooring_requests_total{{endpoint=\"{endpoint}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> PluginIdAsync() => (await Docker("plugin", "inspect", "--format", "{{.Id}}", Driver)).StandardOutput.Trim();

    /// <summary>The plugin's own binary, run on the host from its rootfs as an operator would (docs/operations.md).</summary>
    private async Task<ProcessResult> Ctl(params string[] arguments)
    {
        var binary = await CtlBinaryAsync();
        var result = await ProcessRunner.RunAsync(binary,
            ["ctl", "--docker-host", env.Dockerd.Host, "--plugin", Driver, .. arguments],
            timeout: TimeSpan.FromMinutes(1));
        output.WriteLine($"ctl {string.Join(' ', arguments)} → {result.Output}");
        Assert.True(result.Succeeded, result.Output);
        return result;
    }

    private async Task<string> CtlBinaryAsync() => Path.Combine(env.Dockerd.DataRoot, "plugins", await PluginIdAsync(), "rootfs", "app", "LocalVolume");

    private async Task SetLogLevelAsync(string level)
    {
        await Docker("plugin", "disable", "-f", Driver);
        await Docker("plugin", "set", Driver, "LOG_LEVEL=" + level);
        await Docker("plugin", "enable", Driver);
    }

    private async Task<bool> WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (env.Dockerd.ReadLog().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    [DockerFact]
    [Step(12)]
    public async Task A_changed_plugin_replaces_the_old_one_only_with_PluginReplace()
    {
        var refused = await env.PublishPluginCreateAsync("-p:PluginEnable=true", "-p:PluginDescription=LocalVolume second build");
        Assert.False(refused.Succeeded);
        Assert.Contains("error MOOR1010", refused.StandardOutput);
        Assert.Contains("PluginReplace=true", refused.StandardOutput);

        var replaced = await env.PublishPluginCreateAsync("-p:PluginEnable=true", "-p:PluginReplace=true", "-p:PluginDescription=LocalVolume second build");
        Assert.True(replaced.Succeeded, replaced.Output + "\n--- dockerd log ---\n" + env.Dockerd.ReadLog());
        var inspect = await Docker("plugin", "inspect", "--format", "{{.Id}}|{{.Enabled}}|{{.Config.Description}}", Driver);
        var fields = inspect.StandardOutput.Trim().Split('|');
        Assert.Equal(["true", "LocalVolume second build"], fields[1..]);
        Assert.DoesNotContain(fields[0], env.PluginIds);
        env.PluginIds.Add(fields[0]);

        await Docker("volume", "create", "-d", Driver, "after-replace");
        var write = await Docker("run", "--rm", "--network", "none", "-v", "after-replace:/m", Image, "sh", "-c", "echo ok > /m/f && cat /m/f");
        Assert.Equal("ok", write.StandardOutput.Trim());
    }

    [DockerFact]
    [Step(13)]
    public async Task Removing_everything_leaves_no_mounts_processes_or_folders()
    {
        foreach (var volume in (await Docker("volume", "ls", "-q")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Docker("volume", "rm", "-f", volume.Trim());
        }

        await Docker("plugin", "disable", Driver);
        await Docker("plugin", "rm", Driver);
        Assert.Equal("", (await Docker("plugin", "ls", "-q")).StandardOutput.Trim());
        var root = env.Dockerd.Root;

        await env.Dockerd.StopAsync();
        output.WriteLine("mounts under the daemon folder after stop: " + string.Join(", ", env.Dockerd.MountsUnderRoot()));
        Assert.Empty(env.Dockerd.ProcessesUsingRoot());
        foreach (var id in env.PluginIds)
        {
            Assert.False(Directory.Exists(Path.Combine("/run/docker/plugins", id)), $"/run/docker/plugins/{id} is left behind");
            Assert.Empty(PrivateDockerd.MountsUnder(Path.Combine("/run/docker/plugins", id)));
        }

        await env.Dockerd.DisposeAsync();
        Assert.Empty(PrivateDockerd.MountsUnder(root));
        Assert.False(Directory.Exists(root), $"{root} is left behind");
    }

    private async Task<ProcessResult> Docker(params string[] arguments)
    {
        var result = await env.Dockerd.DockerAsync(arguments);
        output.WriteLine(result.Output);
        Assert.True(result.Succeeded, result.Output + "\n--- dockerd log ---\n" + env.Dockerd.ReadLog());
        return result;
    }

    // Right after a daemon restart the plugin may still be coming up; give it the ~15 s dockerd itself allows.
    private static async Task<ProcessResult> RetryAsync(Func<Task<ProcessResult>> run)
    {
        ProcessResult result = null!;
        for (var attempt = 0; attempt < 15; attempt++)
        {
            result = await run();
            if (result.Succeeded)
            {
                return result;
            }

            await Task.Delay(1000);
        }

        return result;
    }
}
