using System.Text;
using System.Text.Json;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>Every endpoint over a real unix socket, driven the way dockerd drives it.</summary>
public sealed class EndpointTests
{
    private const string Id1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string Id2 = "2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public async Task Activate_with_an_empty_body_answers_VolumeDriver()
    {
        await using var f = await PluginFixture.StartAsync();
        var result = await f.Client.ActivateAsync();
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(["VolumeDriver"], result.Value);
        Assert.Equal("""{"Implements":["VolumeDriver"]}""", result.Body);
    }

    [Fact]
    public async Task Capabilities_answers_the_driver_scope_in_lower_case()
    {
        await using var f = await PluginFixture.StartAsync(d => d.Scope = VolumeScope.Global);
        var result = await f.Client.CapabilitiesAsync();
        Assert.Equal("""{"Capabilities":{"Scope":"global"}}""", result.Body);
        f.Driver.Scope = VolumeScope.Local;
        Assert.Equal("local", (await f.Client.CapabilitiesAsync()).Value);
    }

    [Fact]
    public async Task Full_lifecycle_create_get_list_mount_path_unmount_remove()
    {
        await using var f = await PluginFixture.StartAsync();
        var create = await f.Client.CreateAsync("v1", new Dictionary<string, string> { ["size"] = "10g", ["UID"] = "1000" });
        Assert.True(create.IsSuccess, create.ToString());
        Assert.Equal("{}", create.Body);
        Assert.Equal(10L << 30, f.Driver.LastOptions!.Size!.Value.Bytes);
        Assert.Equal(1000, f.Driver.LastOptions.Uid);
        Assert.True(Directory.Exists(Path.Combine(f.DataRoot, "v1")));

        var get = await f.Client.GetAsync("v1");
        Assert.True(get.IsSuccess, get.ToString());
        Assert.Equal("v1", get.Value!.Name);
        Assert.Null(get.Value.Mountpoint);

        var mount = await f.Client.MountAsync("v1", Id1);
        Assert.True(mount.IsSuccess, mount.ToString());
        Assert.Equal(Path.Combine(f.DataRoot, "v1"), mount.Value);

        var path = await f.Client.PathAsync("v1");
        Assert.Equal(Path.Combine(f.DataRoot, "v1"), path.Value);

        var list = await f.Client.ListAsync();
        Assert.True(list.IsSuccess, list.ToString());
        var listed = Assert.Single(list.Value!);
        Assert.Equal("v1", listed.Name);
        Assert.Equal(Path.Combine(f.DataRoot, "v1"), listed.Mountpoint);
        Assert.Equal("1", listed.Status!["mounts"].GetString());

        Assert.True((await f.Client.UnmountAsync("v1", Id1)).IsSuccess);
        var unmountedPath = await f.Client.PathAsync("v1");
        Assert.True(unmountedPath.IsSuccess);
        Assert.Equal("{}", unmountedPath.Body);

        var remove = await f.Client.RemoveAsync("v1");
        Assert.True(remove.IsSuccess, remove.ToString());
        Assert.False(Directory.Exists(Path.Combine(f.DataRoot, "v1")));
        Assert.Empty((await f.Client.ListAsync()).Value!);
    }

    [Fact]
    public async Task Create_with_null_Opts_as_sent_for_implicit_volumes_binds_defaults()
    {
        await using var f = await PluginFixture.StartAsync();
        var request = Encoding.UTF8.GetString(f.Client.BuildRequest("/VolumeDriver.Create", Encoding.UTF8.GetBytes("""{"Name":"n","Opts":null}""" + "\n")));
        Assert.DoesNotContain("Content-Type", request, StringComparison.OrdinalIgnoreCase);

        var result = await f.Client.CreateAsync("implicit", options: null);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.NotNull(f.Driver.LastOptions);
        Assert.Null(f.Driver.LastOptions!.Size);
    }

    [Fact]
    public async Task Create_with_an_option_value_of_null_binds_it_as_empty_like_go()
    {
        await using var f = await PluginFixture.StartAsync();
        var response = await f.Client.SendAsync("/VolumeDriver.Create", """{"Name":"n","Opts":{"size":null}}"""u8.ToArray());
        Assert.Equal(500, response.StatusCode);
        Assert.Contains("volume 'n': option 'size' must be a byte size", response.BodyText);
        Assert.Contains("got ''", response.BodyText);
    }

    [Fact]
    public async Task Create_with_an_unknown_option_fails_with_a_message_naming_it()
    {
        await using var f = await PluginFixture.StartAsync();
        var result = await f.Client.CreateAsync("bad1", new Dictionary<string, string> { ["bogus"] = "1" });
        Assert.Equal(500, result.StatusCode);
        Assert.Equal("volume 'bad1': unknown option 'bogus' (known: readonly, size, uid)", result.Err);
        Assert.Equal("VolumeDriver.Create: volume 'bad1': unknown option 'bogus' (known: readonly, size, uid)", result.Error);
        Assert.Equal(0, f.Driver.Calls);
    }

    [Fact]
    public async Task Create_with_a_malformed_option_value_names_the_option_and_the_value()
    {
        await using var f = await PluginFixture.StartAsync();
        var result = await f.Client.CreateAsync("v", new Dictionary<string, string> { ["size"] = "-1g" });
        Assert.Equal(500, result.StatusCode);
        Assert.Equal("volume 'v': option 'size' must not be negative; use a byte size such as 512m or 10g, got '-1g'", result.Err);
    }

    [Fact]
    public async Task Get_of_an_unknown_volume_is_not_found_and_never_a_placeholder()
    {
        await using var f = await PluginFixture.StartAsync();
        var get = await f.Client.GetAsync("nosuch");
        Assert.False(get.IsSuccess);
        Assert.Null(get.Value);
        Assert.Equal(200, get.StatusCode);
        Assert.Equal("""{"Err":"volume 'nosuch' not found"}""", get.Body);

        // dockerd's get-then-create: Create follows, and a second Get finds the volume.
        Assert.True((await f.Client.CreateAsync("nosuch")).IsSuccess);
        Assert.Equal("nosuch", (await f.Client.GetAsync("nosuch")).Value!.Name);
    }

    [Fact]
    public async Task Path_and_Mount_of_an_unknown_volume_fail_with_not_found()
    {
        await using var f = await PluginFixture.StartAsync();
        var path = await f.Client.PathAsync("nosuch");
        Assert.Equal(500, path.StatusCode);
        Assert.Equal("volume 'nosuch' not found", path.Err);
        var mount = await f.Client.MountAsync("nosuch", Id1);
        Assert.Equal("VolumeDriver.Mount: volume 'nosuch' not found", mount.Error);
    }

    [Fact]
    public async Task The_same_mount_ID_twice_then_one_Unmount_leaves_the_volume_mounted()
    {
        await using var f = await PluginFixture.StartAsync();
        await f.Client.CreateAsync("v");
        Assert.True((await f.Client.MountAsync("v", Id1)).IsSuccess);
        Assert.True((await f.Client.MountAsync("v", Id1)).IsSuccess); // docker cp reuses the container's ID
        Assert.True((await f.Client.UnmountAsync("v", Id1)).IsSuccess);

        Assert.Equal(1, f.Driver.MountCount("v"));
        Assert.NotNull((await f.Client.GetAsync("v")).Value!.Mountpoint);
        var remove = await f.Client.RemoveAsync("v");
        Assert.Equal("VolumeDriver.Remove: volume 'v' is in use: it is still mounted", remove.Error);

        Assert.True((await f.Client.UnmountAsync("v", Id1)).IsSuccess);
        Assert.True((await f.Client.RemoveAsync("v")).IsSuccess);
    }

    [Fact]
    public async Task Remove_of_a_volume_mounted_by_two_containers_is_refused_until_both_unmount()
    {
        await using var f = await PluginFixture.StartAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", Id1);
        await f.Client.MountAsync("v", Id2);
        await f.Client.UnmountAsync("v", Id1);
        Assert.Equal(500, (await f.Client.RemoveAsync("v")).StatusCode);
        await f.Client.UnmountAsync("v", Id2);
        Assert.True((await f.Client.RemoveAsync("v")).IsSuccess);
    }

    [Fact]
    public async Task CreatedAt_is_RFC3339_in_UTC_and_absent_when_null()
    {
        await using var f = await PluginFixture.StartAsync(d => d.CreatedAt = new DateTimeOffset(2026, 11, 29, 12, 30, 15, 250, TimeSpan.FromHours(2)));
        await f.Client.CreateAsync("with");
        f.Driver.CreatedAt = null;
        await f.Client.CreateAsync("without");

        var with = await f.Client.GetAsync("with");
        Assert.Contains("\"CreatedAt\":\"2026-11-29T10:30:15.25Z\"", with.Body);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 30, 15, 250, TimeSpan.Zero), with.Value!.CreatedAt);

        var without = await f.Client.GetAsync("without");
        Assert.True(without.IsSuccess, without.ToString());
        Assert.DoesNotContain("CreatedAt", without.Body);

        var list = await f.Client.ListAsync();
        Assert.True(list.IsSuccess, list.ToString());
        Assert.Contains("\"CreatedAt\":\"2026-11-29T10:30:15.25Z\"", list.Body);
    }

    [Fact]
    public async Task CreatedAt_without_fractional_seconds_has_none()
    {
        await using var f = await PluginFixture.StartAsync(d => d.CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await f.Client.CreateAsync("v");
        Assert.Contains("\"CreatedAt\":\"2026-01-02T03:04:05Z\"", (await f.Client.GetAsync("v")).Body);
    }

    [Fact]
    public async Task Output_names_are_PascalCase()
    {
        await using var f = await PluginFixture.StartAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", Id1);
        var get = await f.Client.GetAsync("v");
        using var document = JsonDocument.Parse(get.Body);
        var volume = document.RootElement.GetProperty("Volume");
        Assert.Equal(["Name", "Mountpoint", "CreatedAt", "Status"], volume.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.StartsWith("{\"Mountpoint\":", (await f.Client.MountAsync("v", Id2)).Body);
        Assert.StartsWith("{\"Volumes\":[", (await f.Client.ListAsync()).Body);
        Assert.StartsWith("{\"Err\":", (await f.Client.RemoveAsync("v")).Body);
    }

    [Fact]
    public async Task Input_field_names_match_case_insensitively_and_unknown_fields_are_ignored()
    {
        await using var f = await PluginFixture.StartAsync();
        var create = await f.Client.SendAsync("/VolumeDriver.Create", """{"name":"x","OPTS":{"Size":"1m"},"Labels":{"a":"b"}}"""u8.ToArray());
        Assert.Equal(200, create.StatusCode);
        Assert.Equal(1L << 20, f.Driver.LastOptions!.Size!.Value.Bytes);

        var mount = await f.Client.SendAsync("/VolumeDriver.Mount", """{"nAmE":"x","id":"abc"}"""u8.ToArray());
        Assert.Equal(200, mount.StatusCode);
        Assert.Equal(1, f.Driver.MountCount("x"));
    }

    [Fact]
    public async Task List_and_Capabilities_accept_an_empty_body_as_well_as_an_empty_object()
    {
        await using var f = await PluginFixture.StartAsync();
        Assert.Equal(200, (await f.Client.SendAsync("/VolumeDriver.List", ReadOnlyMemory<byte>.Empty)).StatusCode);
        Assert.Equal(200, (await f.Client.SendAsync("/VolumeDriver.Capabilities", ReadOnlyMemory<byte>.Empty)).StatusCode);
        Assert.Equal(200, (await f.Client.SendAsync("/VolumeDriver.List", "{}\n"u8.ToArray())).StatusCode);
        Assert.Equal(400, (await f.Client.SendAsync("/VolumeDriver.List", "[]"u8.ToArray())).StatusCode);
    }

    [Fact]
    public async Task Requests_from_a_newer_dockerd_with_a_Host_header_are_answered_too()
    {
        await using var f = await PluginFixture.StartAsync();
        await using var client = new Mooring.Testing.DockerPluginClient(f.SocketPath) { Host = "plugin.moby.localhost" };
        Assert.True((await client.CapabilitiesAsync()).IsSuccess);
    }

    [Fact]
    public async Task The_response_declares_the_plugin_media_type_and_a_content_length()
    {
        await using var f = await PluginFixture.StartAsync();
        var response = await f.Client.SendAsync("/VolumeDriver.Capabilities", "{}\n"u8.ToArray());
        Assert.Equal("application/vnd.docker.plugins.v1.2+json", response.Headers["Content-Type"]);
        Assert.Equal(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["Content-Length"]);
        Assert.False(response.Headers.ContainsKey("Server"));
    }

    [Fact]
    public async Task Concurrent_calls_on_different_volumes_all_succeed()
    {
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = (_, _, _) => Task.Delay(20));
        var names = Enumerable.Range(0, 32).Select(i => $"vol{i}").ToArray();
        var results = await Task.WhenAll(names.Select(async name =>
        {
            var create = await f.Client.CreateAsync(name);
            var mount = await f.Client.MountAsync(name, Id1);
            var get = await f.Client.GetAsync(name);
            return (name, create, mount, get);
        }));
        foreach (var (name, create, mount, get) in results)
        {
            Assert.True(create.IsSuccess, create.ToString());
            Assert.Equal(Path.Combine(f.DataRoot, name), mount.Value);
            Assert.Equal(name, get.Value!.Name);
        }

        Assert.Equal(32, (await f.Client.ListAsync()).Value!.Count);
    }

    [Fact]
    public async Task Concurrent_calls_proceed_in_parallel_rather_than_one_after_another()
    {
        var inside = 0;
        var maxInside = 0;
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = async (op, _, ct) =>
        {
            if (op != "Get")
            {
                return;
            }

            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Delay(300, ct);
            Interlocked.Decrement(ref inside);
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => f.Client.GetAsync($"g{i}")));
        Assert.True(maxInside >= 4, $"at most {maxInside} Get calls ran at once");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
