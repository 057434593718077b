using Mooring.Hosting;
using Mooring.Hosting.Management;
using Mooring.TestFixtures;
using Mooring.Tests.Infrastructure;
using static Mooring.Tests.Infrastructure.ManagementFixture;

namespace Mooring.Tests;

/// <summary>The management socket's endpoints and errors, over a real unix socket (docs/troubleshooting.md).</summary>
public sealed class ManagementSocketTests
{
    [Theory]
    [InlineData("localvolume.sock", "localvolume.ctl.sock")]
    [InlineData("plugin", "plugin.ctl.sock")]
    [InlineData("a.sock.sock", "a.sock.ctl.sock")]
    public void The_name_strips_one_trailing_sock_and_appends_ctl_sock(string plugin, string expected)
        => Assert.Equal(expected, ManagementSocket.NameFor(plugin));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_socket_sits_beside_the_plugin_socket_with_mode_0600_and_is_removed_on_stop()
    {
        var f = await StartLowLevelAsync();
        var path = f.Plugin.ManagementSocketPath!;
        Assert.Equal(Path.Join(Path.GetDirectoryName(f.Plugin.SocketPath), "p.ctl.sock"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(200, (await f.GetAsync("/health")).StatusCode);
        await f.DisposeAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task The_socket_can_be_disabled_or_moved()
    {
        using var temp = new TempDirectory();
        await using (var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = temp.Combine("p.sock"), DataRoot = temp.Combine("d"), LoggerFactory = new CapturingLoggerFactory(), EnableManagementSocket = false }))
        {
            Assert.Null(plugin.ManagementSocketPath);
            Assert.Equal(["p.sock"], Directory.GetFileSystemEntries(temp.Path, "*.sock").Select(Path.GetFileName));
        }

        await using (var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = temp.Combine("p.sock"), DataRoot = temp.Combine("d"), LoggerFactory = new CapturingLoggerFactory(), ManagementSocketPath = temp.Combine("m/admin.sock") }))
        {
            Assert.Equal(temp.Combine("m/admin.sock"), plugin.ManagementSocketPath);
            Assert.True(File.Exists(temp.Combine("m/admin.sock")));
        }
    }

    [Fact]
    public async Task A_default_path_too_long_for_a_unix_socket_starts_the_plugin_without_it_and_says_why()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine(new string('d', 98 - temp.Path.Length));
        var logs = new CapturingLoggerFactory();
        await using var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = Path.Join(directory, "p.sock"), DataRoot = temp.Combine("d"), LoggerFactory = logs });
        Assert.Null(plugin.ManagementSocketPath);
        Assert.Contains(logs.Entries, e => e.Message.StartsWith($"No management socket: {Path.Join(directory, "p.ctl.sock")} is longer than the 107 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_answers_ready_with_the_driver_version_and_model()
    {
        await using var f = await StartLowLevelAsync();
        var response = await f.GetAsync("/health");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        var health = Json(response);
        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.Equal("low-level", health.GetProperty("model").GetString());
        Assert.Equal(typeof(TestDriver).FullName, health.GetProperty("driver").GetString());
        Assert.DoesNotContain('+', health.GetProperty("version").GetString()!);
        Assert.True(health.GetProperty("uptimeSeconds").GetDouble() > 0);

        await using var m = await StartManagedAsync();
        Assert.Equal("managed", Json(await m.GetAsync("/health")).GetProperty("model").GetString());
    }

    [Fact]
    public async Task While_starting_health_says_starting_and_the_driver_endpoints_answer_503_at_once()
    {
        using var temp = new TempDirectory();
        var release = new TaskCompletionSource();
        var start = VolumePluginHost.StartAsync(
            new PluginHostOptions { SocketPath = temp.Combine("p.sock"), DataRoot = temp.Combine("d"), LoggerFactory = new CapturingLoggerFactory() },
            context => new TestDriver(context) { OnStart = _ => release.Task });
        while (!File.Exists(temp.Combine("p.ctl.sock")))
        {
            await Task.Delay(10);
        }

        await using (var client = new Mooring.Testing.DockerPluginClient(temp.Combine("p.ctl.sock")))
        {
            var health = await client.SendAsync("GET", "/health", ReadOnlyMemory<byte>.Empty);
            Assert.Equal("starting", Json(health).GetProperty("status").GetString());
            Assert.False(Json(health).TryGetProperty("model", out _));
            var volumes = await client.SendAsync("GET", "/volumes", ReadOnlyMemory<byte>.Empty).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(503, volumes.StatusCode);
            Assert.Contains("still starting", Err(volumes));
            Assert.Equal(503, (await client.SendAsync("GET", "/operations", ReadOnlyMemory<byte>.Empty)).StatusCode);
        }

        release.SetResult();
        await using var plugin = await start;
    }

    [Fact]
    public async Task A_low_level_driver_answers_404_for_volumes_reconcile_forget_and_prepare_downgrade()
    {
        await using var f = await StartLowLevelAsync();
        const string expected = "the driver manages its own volumes (IVolumeDriver); volumes, reconcile, forget and prepare-downgrade need an IManagedVolumeDriver";
        foreach (var response in new[] { await f.GetAsync("/volumes"), await f.PostAsync("/reconcile"), await f.PostAsync("/forget", """{"volume":"v"}"""), await f.PostAsync("/prepare-downgrade") })
        {
            Assert.Equal(404, response.StatusCode);
            Assert.Equal(expected, Err(response));
        }
    }

    [Fact]
    public async Task Volumes_lists_names_phase_options_created_time_and_mounts_per_ID()
    {
        await using var f = await StartManagedAsync();
        Assert.True((await f.Client.CreateAsync("v", new Dictionary<string, string> { ["size"] = "1G" })).IsSuccess);
        Assert.True((await f.Client.CreateAsync("w")).IsSuccess);
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "b");

        var answer = Json(await f.GetAsync("/volumes"));
        var volumes = answer.GetProperty("volumes").EnumerateArray().ToArray();
        Assert.Equal(["v", "w"], volumes.Select(v => v.GetProperty("name").GetString()));
        var v = volumes[0];
        Assert.Equal("ready", v.GetProperty("phase").GetString());
        Assert.Equal("1G", v.GetProperty("options").GetProperty("size").GetString());
        Assert.Equal(2, v.GetProperty("mounts").GetProperty("a").GetInt32());
        Assert.Equal(1, v.GetProperty("mounts").GetProperty("b").GetInt32());
        Assert.Equal(3, v.GetProperty("totalMounts").GetInt32());
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(v.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(1));
        Assert.EndsWith("Z", v.GetProperty("createdAt").GetString());
        Assert.Equal(0, volumes[1].GetProperty("totalMounts").GetInt32());
        Assert.Equal(0, answer.GetProperty("unavailable").GetArrayLength());
    }

    [Fact]
    public async Task Volumes_lists_a_volume_whose_state_file_is_unreadable_with_its_path_and_reason()
    {
        using var temp = new TempDirectory();
        var records = Path.Join(temp.Combine("data"), ".mooring", "volumes");
        Directory.CreateDirectory(records);
        await File.WriteAllTextAsync(Path.Join(records, "torn.json"), "{\"Name\":");
        await using var f = await StartManagedAsync(configureHost: o => o.DataRoot = temp.Combine("data"));

        var unavailable = Json(await f.GetAsync("/volumes")).GetProperty("unavailable").EnumerateArray().Single();
        Assert.Equal("torn", unavailable.GetProperty("name").GetString());
        Assert.Equal(Path.Join(records, "torn.json"), unavailable.GetProperty("path").GetString());
        Assert.Contains("JSON", unavailable.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Forget_after_a_lost_Unmount_lets_Remove_succeed_and_detaches_after_the_last_count()
    {
        await using var f = await StartManagedAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "b");
        Assert.Contains("in use", (await f.Client.RemoveAsync("v")).Error); // dockerd crashed: the Unmounts never come

        var one = await f.PostAsync("/forget", """{"volume":"v","id":"a"}""");
        Assert.Equal(200, one.StatusCode);
        Assert.Equal("""{"volume":"v","released":2,"totalMounts":1}""", one.BodyText);
        Assert.DoesNotContain("detach v", f.Managed!.Calls);

        var all = await f.PostAsync("/forget", """{"volume":"v"}""");
        Assert.Equal("""{"volume":"v","released":1,"totalMounts":0}""", all.BodyText);
        Assert.Contains("detach v", f.Managed.Calls);
        Assert.True((await f.Client.RemoveAsync("v")).IsSuccess);
    }

    [Fact]
    public async Task Prepare_downgrade_writes_the_state_back_at_format_1_and_every_later_change_is_refused_with_the_reason()
    {
        await using var f = await StartManagedAsync();
        Assert.True((await f.Client.CreateAsync("v")).IsSuccess);
        Assert.True((await f.Client.CreateAsync("w")).IsSuccess);
        Assert.True((await f.Client.MountAsync("v", "a")).IsSuccess);

        var response = await f.PostAsync("/prepare-downgrade");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"format":1,"volumeFiles":2,"mountFiles":1,"unavailable":0,"mounted":1}""", response.BodyText);
        var state = Path.Join(f.Plugin.Context.DataRoot, ".mooring");
        foreach (var file in Directory.GetFiles(state, "*.json", SearchOption.AllDirectories))
        {
            Assert.Contains("\"version\": 1,", File.ReadAllText(file), StringComparison.Ordinal);
        }

        var create = await f.Client.CreateAsync("x");
        Assert.Contains("volume 'x': could not save its state: the plugin's state was written back at format 1 for a downgrade (ctl prepare-downgrade)", create.Error, StringComparison.Ordinal);
        Assert.Contains("prepare-downgrade", (await f.Client.UnmountAsync("v", "a")).Error);
        Assert.Contains("prepare-downgrade", (await f.Client.RemoveAsync("w")).Error);

        // Reads still answer from memory, as the files say.
        Assert.True((await f.Client.GetAsync("w")).IsSuccess);
        Assert.Equal(1, Json(await f.GetAsync("/volumes")).GetProperty("volumes")[0].GetProperty("totalMounts").GetInt32());
        Assert.Equal(405, (await f.GetAsync("/prepare-downgrade")).StatusCode);
    }

    [Theory]
    [InlineData("""{"volume":"a/b"}""", 400, "invalid volume name 'a/b': it must not contain '/'")]
    [InlineData("""{"volume":".."}""", 400, "invalid volume name '..': '.' and '..' are not allowed")]
    [InlineData("""{"id":"a"}""", 400, "invalid volume name: it must not be empty")]
    [InlineData("""{"volume":"v","id":""}""", 400, "volume 'v': field 'id' must not be empty (omit it to forget all of the volume's mounts)")]
    [InlineData("""{"volume":"v""", 400, "request body is not valid JSON")]
    [InlineData("""[1]""", 400, "request body must be a JSON object, got an array")]
    [InlineData("", 400, "request body is empty")]
    [InlineData("""{"volume":7}""", 400, "field 'volume' must be a string")]
    [InlineData("""{"volume":"nope"}""", 404, "volume 'nope' not found")]
    [InlineData("""{"volume":"v","id":"zz"}""", 404, "volume 'v' has no counted mount with ID 'zz'")]
    public async Task Forget_rejects_bad_requests_with_a_clear_error(string body, int status, string error)
    {
        await using var f = await StartManagedAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a");
        var response = await f.PostAsync("/forget", body);
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(error, Err(response));
        Assert.Equal(1, Json(await f.GetAsync("/volumes")).GetProperty("volumes")[0].GetProperty("totalMounts").GetInt32());
    }

    [Fact]
    public async Task Reconcile_drops_the_counts_of_an_attached_volume_whose_mount_vanished()
    {
        await using var f = await StartManagedAsync(d => d.AttachMountsDataDirectory = true);
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a"); // the test driver "attaches" without mounting: the kernel shows nothing
        var response = await f.PostAsync("/reconcile");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"cleared":[{"volume":"v","mounts":1}],"confirmed":[],"unverified":[],"orphans":[]}""", response.BodyText);
        Assert.True((await f.Client.RemoveAsync("v")).IsSuccess);
    }

    [Fact]
    public async Task Reconcile_keeps_the_counts_of_a_driver_that_does_not_attach_as_unverified()
    {
        await using var f = await StartManagedAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a");
        Assert.Equal("""{"cleared":[],"confirmed":[],"unverified":["v"],"orphans":[]}""", (await f.PostAsync("/reconcile")).BodyText);
        Assert.Contains("in use", (await f.Client.RemoveAsync("v")).Error);
    }

    [Theory]
    [InlineData("GET", "/nope", 404, "unknown path '/nope'")]
    [InlineData("POST", "/health", 405, "method POST is not allowed here: use GET")]
    [InlineData("GET", "/reconcile", 405, "method GET is not allowed here: use POST")]
    [InlineData("DELETE", "/log-level", 405, "method DELETE is not allowed here: use GET, PUT")]
    [InlineData("GET", "/VolumeDriver.List", 404, "unknown path '/VolumeDriver.List'")]
    public async Task Unknown_paths_and_wrong_methods_get_404_and_405(string method, string path, int status, string error)
    {
        await using var f = await StartManagedAsync();
        var response = await f.Management.SendAsync(method, path, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(error, Err(response));
        if (status == 405)
        {
            Assert.Equal(error[(error.IndexOf("use ", StringComparison.Ordinal) + 4)..], response.Headers["Allow"]);
        }
    }

    [Fact]
    public async Task A_body_over_64_KiB_gets_413_and_the_socket_keeps_serving()
    {
        await using var f = await StartManagedAsync();
        var body = new string(' ', ManagementHandler.MaxBodySize) + """{"volume":"v"}""";
        var response = await f.PostAsync("/forget", body);
        Assert.Equal(413, response.StatusCode);
        Assert.Equal("request body larger than 65536 bytes", Err(response));
        Assert.Equal(200, (await f.GetAsync("/health")).StatusCode);

        // The plugin socket keeps its own, larger limit.
        Assert.NotEqual(413, (await f.Client.SendAsync("/VolumeDriver.Get", System.Text.Encoding.UTF8.GetBytes(body))).StatusCode);
    }

    [Fact]
    public async Task Operations_are_listed_and_routed_to_the_dispatcher()
    {
        await using var f = await StartManagedAsync();
        Assert.Equal(
            """{"operations":[{"name":"snapshot","description":"Answers its arguments","volume":true,"arguments":[{"name":"label","type":"string","required":false,"description":"any text"}]}]}""",
            (await f.GetAsync("/operations")).BodyText);
        var echo = await f.PostAsync("/operations/snapshot", """{"volume":"v","arguments":{"label":"nightly"}}""");
        Assert.Equal(200, echo.StatusCode);
        Assert.Equal("""{"volume":"v","arguments":{"label":"nightly"}}""", Json(echo).GetProperty("result").GetProperty("body").GetString());

        var unknown = await f.PostAsync("/operations/nope", "{}");
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal("unknown operation 'nope'", Err(unknown));
        Assert.Equal(405, (await f.GetAsync("/operations/snapshot")).StatusCode);

        await using var low = await StartLowLevelAsync();
        Assert.Equal("""{"operations":[]}""", (await low.GetAsync("/operations")).BodyText);
    }

    [Fact]
    public async Task Management_requests_are_not_served_on_the_plugin_socket()
    {
        await using var f = await StartLowLevelAsync();
        var response = await f.Client.SendAsync("GET", "/health", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(405, response.StatusCode);
        Assert.Equal(404, (await f.Client.SendAsync("/forget", """{"volume":"v"}"""u8.ToArray())).StatusCode);
    }

}
