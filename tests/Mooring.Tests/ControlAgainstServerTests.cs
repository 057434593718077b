using System.Text.Json;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>
/// Every <c>ctl</c> command against the real management server of a plugin running outside Docker (in process, over
/// real unix sockets): the client and the server agree on the contract, not only each with its own fake.
/// </summary>
public sealed class ControlAgainstServerTests
{
    private const string Id = "1111111111111111111111111111111111111111111111111111111111111111";

    [Fact]
    public async Task Every_command_works_against_a_running_plugin()
    {
        await using var fixture = await ManagementFixture.StartManagedAsync();
        Assert.True((await fixture.Client.CreateAsync("v1")).IsSuccess);
        Assert.True((await fixture.Client.MountAsync("v1", Id)).IsSuccess);
        var socket = fixture.Plugin.ManagementSocketPath!;

        var health = await Ctl(socket, "--json", "health");
        Assert.Equal("ready", Json(health).GetProperty("status").GetString());

        var table = await Ctl(socket, "volumes");
        Assert.Contains("v1", table, StringComparison.Ordinal);
        var volumes = Json(await Ctl(socket, "--json", "volumes")).GetProperty("volumes")[0];
        Assert.Equal(1, volumes.GetProperty("totalMounts").GetInt32());

        Assert.Contains("confirmed", await Ctl(socket, "--json", "reconcile"), StringComparison.Ordinal);

        // The fixture logs through its own factory, which the server will not override (ManagementLogLevelTests covers
        // the default factory): the client reports the server's refusal as exit 1.
        var level = await ControlRunner.RunAsync(["--socket", socket, "log-level", "debug"]);
        Assert.Equal(1, level.ExitCode);
        Assert.Contains("the log level is set by the custom logger factory", level.Err, StringComparison.Ordinal);

        Assert.Contains("mooring_requests_total{endpoint=\"VolumeDriver.Mount\"} 1", await Ctl(socket, "metrics"), StringComparison.Ordinal);

        Assert.Contains("snapshot", await Ctl(socket, "operations"), StringComparison.Ordinal);
        Assert.Contains("nightly", await Ctl(socket, "--json", "op", "snapshot", "--volume", "v1", "label=nightly"), StringComparison.Ordinal);

        var forget = Json(await Ctl(socket, "--json", "forget", "v1"));
        Assert.Equal(0, forget.GetProperty("totalMounts").GetInt32());
        Assert.True((await fixture.Client.RemoveAsync("v1")).IsSuccess);

        // Last: it leaves the plugin refusing changes.
        Assert.True((await fixture.Client.CreateAsync("v2")).IsSuccess);
        Assert.True((await fixture.Client.MountAsync("v2", "c")).IsSuccess);
        var downgrade = await Ctl(socket, "prepare-downgrade");
        Assert.StartsWith("State written back at format 1: 1 volume record, 1 mount count file.", downgrade, StringComparison.Ordinal);
        Assert.Contains("1 volume is mounted: stop the containers that use it first.", downgrade, StringComparison.Ordinal);
        // dockerd refuses a plain disable while the plugin has volumes: the printed step must be the one that works.
        Assert.Contains("Next: docker plugin disable -f <plugin>;", downgrade, StringComparison.Ordinal);
        var again = Json(await Ctl(socket, "--json", "prepare-downgrade"));
        Assert.Equal(1, again.GetProperty("volumeFiles").GetInt32());
        Assert.Equal(1, again.GetProperty("mounted").GetInt32());
    }

    [Fact]
    public async Task An_error_of_the_server_is_exit_1_with_its_message()
    {
        await using var fixture = await ManagementFixture.StartManagedAsync();

        var run = await ControlRunner.RunAsync(["--socket", fixture.Plugin.ManagementSocketPath!, "forget", "missing"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing", run.Err, StringComparison.Ordinal);
    }

    private static async Task<string> Ctl(string socket, params string[] arguments)
    {
        var run = await ControlRunner.RunAsync(["--socket", socket, .. arguments]);
        Assert.True(run.ExitCode == 0, $"ctl {string.Join(' ', arguments)} exited {run.ExitCode}: {run.Err}");
        return run.Out;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
