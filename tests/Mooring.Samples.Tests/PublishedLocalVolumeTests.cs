using System.Text;
using System.Text.Json;
using Mooring.TestFixtures;
using Mooring.Testing;

namespace Mooring.Samples.Tests;

/// <summary>
/// The LocalVolume sample as a user ships it: a NativeAOT binary started outside Docker with --socket and --data-root,
/// driven by a client that speaks exactly like dockerd.
/// </summary>
[Collection(PublishedSampleCollection.Name)]
public sealed class PublishedLocalVolumeTests(PublishedSample sample)
{
    private const string Id1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string Id2 = "2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void Publishing_produces_a_native_binary_with_no_trim_or_AOT_warnings()
    {
        // The log must show the native compile: "no warnings" from a publish that skipped it would prove nothing.
        Assert.Contains("Generating native code", sample.PublishLog, StringComparison.Ordinal);
        Assert.Empty(SamplePublish.WarningLines(sample.PublishLog));
        Assert.True(File.Exists(sample.Binary));
        Assert.False(File.Exists(Path.Combine(sample.PublishDirectory, "LocalVolume.dll")), "a NativeAOT publish has no managed entry assembly");
        var elf = File.ReadAllBytes(sample.Binary).AsSpan(0, 4).ToArray();
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, elf);
    }

    [Theory]
    // The host serves HTTP itself (sdk/Mooring/Hosting/Http). Kestrel brought ASP.NET Core and, unless a substitution
    // cut it off, SslStream and X509 (3 MB).
    [InlineData("SslStream")]
    [InlineData("X509Certificate2")]
    [InlineData("Microsoft.AspNetCore")]
    // What the SDK stopped using to fit a plugin in 4.5 MB (docs/footprint.md, "Below 4.5 MB and 3.5 MB"): the
    // console's terminal support (Logging/StandardStreams writes stdout and stderr), frozen and immutable collections,
    // and System.Diagnostics.Process. A binary published before those changes holds each of them.
    [InlineData("ConsolePal")]
    [InlineData("FrozenDictionary")]
    [InlineData("System.Diagnostics.Process")]
    public void The_binary_holds_none_of_what_the_SDK_leaves_out(string name)
    {
        // None of it may creep back in through a dependency.
        var binary = File.ReadAllBytes(sample.Binary);
        Assert.Equal(-1, binary.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public async Task Answers_Activate_and_all_eight_endpoints_as_dockerd_expects()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        var client = plugin.Client;

        var activate = await client.ActivateAsync();
        Assert.Equal(["VolumeDriver"], activate.Value);

        var scope = await client.CapabilitiesAsync();
        Assert.True(scope.IsSuccess, scope.ToString());
        Assert.Equal("local", scope.Value);

        // get-before-create: an unknown name is "not found", never a placeholder.
        var missing = await client.GetAsync("v1");
        Assert.False(missing.IsSuccess);
        Assert.Null(missing.Value);
        Assert.Contains("not found", missing.Error);

        var create = await client.CreateAsync("v1", new Dictionary<string, string> { ["mode"] = "0750" });
        Assert.True(create.IsSuccess, create.ToString());
        var implicitCreate = await client.CreateAsync("implicit", options: null);
        Assert.True(implicitCreate.IsSuccess, implicitCreate.ToString());

        var got = await client.GetAsync("v1");
        Assert.True(got.IsSuccess, got.ToString());
        Assert.Equal("v1", got.Value!.Name);
        Assert.NotNull(got.Value.CreatedAt);
        Assert.Equal(Path.Combine(plugin.DataRoot, "volumes", "v1"), got.Value.Mountpoint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(got.Value.Mountpoint!));

        var list = await client.ListAsync();
        Assert.Equal(["implicit", "v1"], list.Value!.Select(v => v.Name).Order(StringComparer.Ordinal));

        var mount = await client.MountAsync("v1", Id1);
        Assert.True(mount.IsSuccess, mount.ToString());
        await File.WriteAllTextAsync(Path.Combine(mount.Value!, "hello.txt"), "hello");
        var path = await client.PathAsync("v1");
        Assert.Equal(mount.Value, path.Value);

        // The same ID twice (docker cp), then one Unmount: still mounted, so Remove is refused.
        Assert.True((await client.MountAsync("v1", Id1)).IsSuccess);
        Assert.True((await client.UnmountAsync("v1", Id1)).IsSuccess);
        var refused = await client.RemoveAsync("v1");
        Assert.False(refused.IsSuccess);
        Assert.Contains("in use", refused.Error);
        Assert.True(File.Exists(Path.Combine(mount.Value!, "hello.txt")));

        var status = (await client.GetAsync("v1")).Value!.Status!;
        Assert.Equal("1", status["mounts"].GetString());
        Assert.Equal("0750", status["mode"].GetString()); // the options as given; size is not measured on the request path

        Assert.True((await client.UnmountAsync("v1", Id1)).IsSuccess);
        var removed = await client.RemoveAsync("v1");
        Assert.True(removed.IsSuccess, removed.ToString());
        Assert.False(Directory.Exists(mount.Value));
        Assert.False((await client.GetAsync("v1")).IsSuccess);
    }

    [Fact]
    public async Task Loading_its_state_starts_no_thread_pool_thread()
    {
        // A volume on disk, so that the second start reads a state file and reconciles its mounts.
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        Assert.True((await plugin.Client.CreateAsync("kept")).IsSuccess);
        await plugin.TerminateAsync(TimeSpan.FromSeconds(10));
        await plugin.RestartAsync();
        Assert.True((await plugin.Client.GetAsync("kept")).IsSuccess);
        await Task.Delay(300);

        // An idle plugin is the main thread, the finalizer, the signal handler, the server's accept thread, and the event
        // loop's two pollers and its monitor (sdk/Mooring/Hosting/Http/EventLoop.cs). An asynchronous file read while the state loads (State/StateFileSet.cs,
        // State/MountTable.cs) hopped to the thread pool, whose workers and gate thread then stayed (docs/benchmarks.md,
        // "No thread pool while a state-backed plugin starts").
        var names = plugin.ThreadNames;
        Assert.False(names.Any(name => name.StartsWith(".NET TP", StringComparison.Ordinal)), string.Join(", ", names));
        Assert.Contains("mooring-accept", names);
        Assert.Equal(2, names.Count(name => name == "mooring-poll"));
        Assert.Contains("mooring-monitor", names);
    }

    [Fact]
    public async Task Once_the_load_ends_the_event_loop_s_threads_sleep()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        Assert.True((await plugin.Client.CreateAsync("idle")).IsSuccess);

        // Requests on four connections at once, so that both pollers take events and the monitor watches them.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var client = new DockerPluginClient(plugin.SocketPath);
            for (var i = 0; i < 200; i++)
            {
                Assert.True((await client.GetAsync("idle")).IsSuccess);
            }
        }));

        // The monitor looks every PollerHoldTime/2 (5 ms) while the loop is busy, and sleeps without a timeout after a
        // look that finds no event since the last (sdk/Mooring/Hosting/Http/EventLoop.cs): an idle loop wakes none of
        // its threads. 300 ms is many looks; the next 500 ms must then switch neither a poller nor the monitor in. (The
        // accept thread is left out: it beats once a second to close connections past their deadlines,
        // HttpServerLimits.HeartbeatInterval.)
        await Task.Delay(300);
        var before = LoopThreads(plugin);
        await Task.Delay(500);
        var after = LoopThreads(plugin);

        Assert.Contains(before, thread => thread.Name == "mooring-monitor");
        Assert.Equal(2, before.Count(thread => thread.Name == "mooring-poll"));
        Assert.Equal(string.Join(", ", before), string.Join(", ", after));
    }

    private static List<PluginThread> LoopThreads(PluginProcess plugin) =>
        [.. plugin.Threads.Where(thread => thread.Name is "mooring-poll" or "mooring-monitor").OrderBy(thread => thread.Id)];

    [Fact]
    public async Task Two_mount_IDs_keep_the_volume_mounted_until_both_are_released()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        var client = plugin.Client;
        Assert.True((await client.CreateAsync("shared")).IsSuccess);
        Assert.True((await client.MountAsync("shared", Id1)).IsSuccess);
        Assert.True((await client.MountAsync("shared", Id2)).IsSuccess);
        Assert.True((await client.UnmountAsync("shared", Id1)).IsSuccess);
        Assert.False((await client.RemoveAsync("shared")).IsSuccess);
        Assert.True((await client.UnmountAsync("shared", Id2)).IsSuccess);
        Assert.True((await client.RemoveAsync("shared")).IsSuccess);
    }

    [Fact]
    public async Task A_bad_option_is_refused_with_the_driver_s_message_and_creates_nothing()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        var unknown = await plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["sise"] = "1g" });
        Assert.Equal(500, unknown.StatusCode);
        Assert.Equal("volume 'bad': unknown option 'sise' (known: gid, mode, uid)", unknown.Err);
        var badMode = await plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["mode"] = "rwx" });
        Assert.Equal("volume 'bad': option 'mode' must be octal permissions such as 0750 or 1777, got 'rwx'", badMode.Err);
        var badUid = await plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["uid"] = "root" });
        Assert.StartsWith("volume 'bad': option 'uid'", badUid.Err);
        Assert.False((await plugin.Client.GetAsync("bad")).IsSuccess);
    }

    public static TheoryData<string, string, int, string> HostileRequests => new()
    {
        { "/VolumeDriver.Create", "{\"Name\":\"..\"}\n", 400, "invalid volume name '..'" },
        { "/VolumeDriver.Create", "{\"Name\":\".\"}\n", 400, "invalid volume name '.'" },
        { "/VolumeDriver.Create", "{\"Name\":\"../../etc\"}\n", 400, "must not contain '/'" },
        { "/VolumeDriver.Mount", "{\"Name\":\"a/b\",\"ID\":\"x\"}\n", 400, "must not contain '/'" },
        { "/VolumeDriver.Create", "{\"Name\":\"a\\u0000b\"}\n", 400, "NUL" },
        { "/VolumeDriver.Create", "{\"Name\":\"" + new string('x', 256) + "\"}\n", 400, "255" },
        { "/VolumeDriver.Create", "{\"Name\":", 400, "not valid JSON" },
        { "/VolumeDriver.Get", "{\"Name\":7}\n", 400, "field 'Name' must be a string" },
        { "/VolumeDriver.Mount", "{\"Name\":\"v\"}\n", 400, "field 'ID' is required" },
        { "/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"mode\":7}}\n", 400, "field 'Opts'" },
        { "/VolumeDriver.Remove", "", 400, "request body is empty" },
        { "/VolumeDriver.Nope", "{}\n", 404, "unknown endpoint" },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task Hostile_input_gets_the_specified_error_and_the_plugin_stays_up(string path, string body, int status, string expected)
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        var response = await plugin.Client.SendAsync(path, Encoding.UTF8.GetBytes(body));
        Assert.Equal(status, response.StatusCode);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Contains(expected, json.RootElement.GetProperty("Err").GetString());
        Assert.DoesNotContain("   at ", response.BodyText);

        Assert.False(plugin.HasExited);
        Assert.True((await plugin.Client.CapabilitiesAsync()).IsSuccess);
        Assert.False(Directory.Exists(Path.Combine(plugin.Root, "etc")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(plugin.DataRoot, "volumes")));
    }

    [Fact]
    public async Task Ten_megabytes_of_body_and_invalid_UTF8_are_refused_without_taking_the_plugin_down()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        var huge = new byte[10 * 1024 * 1024];
        huge.AsSpan().Fill((byte)'a');
        var tooLarge = await plugin.Client.SendAsync("/VolumeDriver.Create", huge).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(413, tooLarge.StatusCode);
        Assert.Contains("larger than", tooLarge.BodyText);

        byte[] invalid = [.. "{\"Name\":\"a"u8, 0xFF, 0xFE, .. "\"}\n"u8];
        var garbled = await plugin.Client.SendAsync("/VolumeDriver.Create", invalid);
        Assert.Equal(400, garbled.StatusCode);
        Assert.Contains("UTF-8", garbled.BodyText);

        Assert.False(plugin.HasExited);
        Assert.True((await plugin.Client.CreateAsync("after")).IsSuccess);
    }

    [Fact]
    public async Task SIGTERM_stops_the_plugin_cleanly_well_within_dockerds_ten_seconds()
    {
        await using var plugin = await PluginProcess.StartAsync(sample.Binary, "localvolume.sock");
        Assert.True((await plugin.Client.CreateAsync("kept")).IsSuccess);
        var elapsed = await plugin.TerminateAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, plugin.ExitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.False(File.Exists(plugin.SocketPath), "the socket file is removed on exit");
        Assert.True(Directory.Exists(Path.Combine(plugin.DataRoot, "volumes", "kept")), "volumes survive a stop");
    }
}
