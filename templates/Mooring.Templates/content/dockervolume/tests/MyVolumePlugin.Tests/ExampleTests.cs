using Mooring.Testing;

namespace TemplateNamespace.Tests;

/// <summary>An example to start your own tests from: create a volume with options and check what the driver did.</summary>
public sealed class ExampleTests
{
    [Fact]
    public async Task The_mode_option_sets_the_permissions_of_the_volume_directory()
    {
        // The plugin in this process on a unix socket in a temporary folder; Client sends what dockerd sends.
        await using var plugin = await PluginHarness<TemplateClassDriver>.StartAsync();

        var create = await plugin.Client.CreateAsync("private", new Dictionary<string, string> { ["mode"] = "0700" });
        Assert.True(create.IsSuccess, create.ToString());
        var mount = await plugin.Client.MountAsync("private", "container-1");

        Assert.True(mount.IsSuccess, mount.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(mount.Value!));
    }
}
