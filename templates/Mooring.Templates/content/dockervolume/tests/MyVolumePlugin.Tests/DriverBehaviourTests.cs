namespace TemplateNamespace.Tests;

/// <summary>
/// What dockerd relies on, driven through the same requests dockerd sends. Keep these passing when you change the driver.
/// </summary>
public sealed class DriverBehaviourTests : IAsyncLifetime
{
    private PluginHarness _plugin = null!;

    public async Task InitializeAsync() => _plugin = await PluginHarness.StartAsync();

    public async Task DisposeAsync() => await _plugin.DisposeAsync();

    [Fact]
    public async Task Get_of_an_unknown_volume_fails_so_dockerd_goes_on_to_create_it()
    {
        // dockerd creates a volume only after Get said it does not exist; a Get that answered would skip Create silently.
        var before = await _plugin.Client.GetAsync("v1");
        Assert.False(before.IsSuccess);
        Assert.Contains("not found", before.Error);

        var create = await _plugin.Client.CreateAsync("v1");
        Assert.True(create.IsSuccess, create.ToString());

        var after = await _plugin.Client.GetAsync("v1");
        Assert.True(after.IsSuccess, after.ToString());
        Assert.Equal("v1", after.Value!.Name);
        Assert.NotNull(after.Value.CreatedAt);
        Assert.StartsWith(_plugin.DataRoot + "/", after.Value.Mountpoint);
    }

    [Fact]
    public async Task An_implicit_create_with_null_options_uses_the_defaults()
    {
        // `docker run --volume-driver X -v new:/data` sends "Opts":null.
        Assert.True((await _plugin.Client.CreateAsync("implicit", options: null)).IsSuccess);
        var mount = await _plugin.Client.MountAsync("implicit", new string('a', 64));
        Assert.True(mount.IsSuccess, mount.ToString());
        Assert.True(Directory.Exists(mount.Value));
    }

    [Fact]
    public async Task Mounting_twice_with_one_ID_needs_two_unmounts_before_remove()
    {
        // `docker cp` on a running container mounts again with the container's existing mount ID.
        const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        Assert.True((await _plugin.Client.CreateAsync("shared")).IsSuccess);

        var first = await _plugin.Client.MountAsync("shared", Id);
        var second = await _plugin.Client.MountAsync("shared", Id);
        Assert.True(first.IsSuccess && second.IsSuccess, $"{first}\n{second}");
        Assert.Equal(first.Value, second.Value);

        Assert.True((await _plugin.Client.UnmountAsync("shared", Id)).IsSuccess);
        var stillMounted = await _plugin.Client.RemoveAsync("shared");
        Assert.False(stillMounted.IsSuccess);
        Assert.Contains("in use", stillMounted.Error);

        Assert.True((await _plugin.Client.UnmountAsync("shared", Id)).IsSuccess);
        Assert.True((await _plugin.Client.RemoveAsync("shared")).IsSuccess);
        Assert.False(Directory.Exists(first.Value));
        Assert.False((await _plugin.Client.GetAsync("shared")).IsSuccess);
    }

    [Fact]
    public async Task Remove_while_mounted_is_refused_and_keeps_the_data()
    {
        Assert.True((await _plugin.Client.CreateAsync("busy")).IsSuccess);
        var mount = await _plugin.Client.MountAsync("busy", "container-1");
        Assert.True(mount.IsSuccess, mount.ToString());
        var file = Path.Combine(mount.Value!, "keep.txt");
        await File.WriteAllTextAsync(file, "precious");

        var remove = await _plugin.Client.RemoveAsync("busy");

        Assert.False(remove.IsSuccess);
        Assert.Equal("VolumeDriver.Remove: volume 'busy' is in use: it is still mounted (1 mount(s)); stop the containers that use it first", remove.Error);
        Assert.Equal("precious", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Volumes_options_and_mount_counts_survive_a_plugin_restart()
    {
        Assert.True((await _plugin.Client.CreateAsync("kept", new Dictionary<string, string> { ["mode"] = "0750" })).IsSuccess);
        Assert.True((await _plugin.Client.MountAsync("kept", "container-1")).IsSuccess);

        await _plugin.RestartAsync();

        var list = await _plugin.Client.ListAsync();
        Assert.True(list.IsSuccess, list.ToString());
        Assert.Equal(["kept"], list.Value!.Select(v => v.Name));
        var get = await _plugin.Client.GetAsync("kept");
        Assert.Equal("0750", get.Value!.Status!["mode"].GetString());
        Assert.Equal("1", get.Value.Status["mounts"].GetString());
        Assert.False((await _plugin.Client.RemoveAsync("kept")).IsSuccess);
    }

    [Fact]
    public async Task Unknown_and_malformed_options_are_refused_with_the_option_named()
    {
        var unknown = await _plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["bogus"] = "1" });
        Assert.False(unknown.IsSuccess);
        Assert.Contains("unknown option 'bogus'", unknown.Error);

        var mode = await _plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["mode"] = "rwx" });
        Assert.False(mode.IsSuccess);
        Assert.Contains("option 'mode'", mode.Error);

        var uid = await _plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["uid"] = "root" });
        Assert.False(uid.IsSuccess);
        Assert.Contains("option 'uid'", uid.Error);

        Assert.False((await _plugin.Client.GetAsync("bad")).IsSuccess);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("nul\0byte")]
    [InlineData("")]
    public async Task Hostile_names_are_refused_before_any_path_is_built(string name)
    {
        // dockerd does not validate volume names for plugins: these reach the plugin as they are.
        var create = await _plugin.Client.CreateAsync(name);
        var mount = await _plugin.Client.MountAsync(name, "container-1");

        Assert.False(create.IsSuccess);
        Assert.Contains("invalid volume name", create.Error);
        Assert.False(mount.IsSuccess);
        Assert.False(Directory.Exists(Path.Combine(_plugin.Root, "escape")));
        Assert.Empty((await _plugin.Client.ListAsync()).Value!);
    }

    [Fact]
    public async Task An_overlong_name_is_refused()
    {
        var create = await _plugin.Client.CreateAsync(new string('x', 300));

        Assert.False(create.IsSuccess);
        Assert.Contains("invalid volume name", create.Error);
    }
}
