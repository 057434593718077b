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
    [Step(9)]
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
