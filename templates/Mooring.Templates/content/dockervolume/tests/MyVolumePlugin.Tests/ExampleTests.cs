namespace TemplateNamespace.Tests;

/// <summary>An example to start your own tests from: create a volume with options and check what the driver did.</summary>
public sealed class ExampleTests : IAsyncLifetime
{
    private PluginHarness _plugin = null!;

    public async Task InitializeAsync() => _plugin = await PluginHarness.StartAsync();

    public async Task DisposeAsync() => await _plugin.DisposeAsync();

    [Fact]
    public async Task The_mode_option_sets_the_permissions_of_the_volume_directory()
    {
        var create = await _plugin.Client.CreateAsync("private", new Dictionary<string, string> { ["mode"] = "0700" });
        Assert.True(create.IsSuccess, create.ToString());

        var mount = await _plugin.Client.MountAsync("private", "container-1");

        Assert.True(mount.IsSuccess, mount.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(mount.Value!));
    }
}
