using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>What the packaged SDK does with the build machine: its architecture is the default, and a non-Linux one is stopped early.</summary>
[Collection(PackagedSdkCollection.Name)]
public sealed class BuildMachineTests(PackagedSdkFixture fixture)
{

    [Fact]
    public async Task The_default_runtime_identifier_is_the_build_machines_linux_architecture_and_a_project_can_still_choose()
    {
        var project = await WriteProjectAsync("rid", "");

        Assert.Equal(BuildMachine.RuntimeIdentifier, await GetPropertyAsync(project, "RuntimeIdentifier"));
        // It follows the SDK, as the .NET container tooling does: an arm64 SDK defaults to linux-arm64 ...
        Assert.Equal("linux-arm64", await GetPropertyAsync(project, "RuntimeIdentifier", "-p:NETCoreSdkPortableRuntimeIdentifier=linux-arm64"));
        // ... and an SDK on another OS to Linux on this machine's architecture (MOOR1015 then stops the publish).
        Assert.Equal(BuildMachine.RuntimeIdentifier, await GetPropertyAsync(project, "RuntimeIdentifier", "-p:NETCoreSdkPortableRuntimeIdentifier=osx-x64"));
        // A RuntimeIdentifier the user sets wins.
        var chosen = await WriteProjectAsync("rid-set", "<RuntimeIdentifier>linux-arm64</RuntimeIdentifier>");
        Assert.Equal("linux-arm64", await GetPropertyAsync(chosen, "RuntimeIdentifier"));
    }

    [Fact]
    public async Task PluginRuntimeIdentifiers_are_all_restored()
    {
        var project = await WriteProjectAsync("rids", "<PluginRuntimeIdentifiers>linux-x64;linux-arm64</PluginRuntimeIdentifiers>");

        Assert.Equal("linux-x64;linux-arm64", await GetPropertyAsync(project, "RuntimeIdentifiers"));
        Assert.Equal("linux-x64;linux-arm64", await GetPropertyAsync(project, "RuntimeIdentifiers", "-p:PluginRuntimeIdentifiers=linux-x64%3Blinux-arm64"));
    }

    [Theory]
    [InlineData("-t:PluginDirectory")]
    [InlineData("-t:Publish")]
    public async Task On_a_machine_that_is_not_linux_publishing_stops_with_MOOR1015_pointing_to_wsl_or_a_dev_container_before_nativeaot(string target)
    {
        var project = await WriteProjectAsync("not-linux-" + target[3..].ToLowerInvariant(), "");

        var result = await DotnetCli.RunAsync(project, ["publish", target, "-p:_MooringBuildMachineIsLinux=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1015", result.StandardOutput);
        Assert.Contains("WSL 2", result.StandardOutput);
        Assert.Contains(".devcontainer/devcontainer.json", result.StandardOutput);
        Assert.DoesNotContain("Generating native code", result.StandardOutput);
        Assert.False(Directory.Exists(Path.Combine(project, "bin", "Release", "net10.0", BuildMachine.RuntimeIdentifier, "native")), result.Output);
    }

    private async Task<string> WriteProjectAsync(string name, string properties)
    {
        var project = Path.Combine(fixture.Feed.CreateConsumerDirectory(name), "Probe");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "Probe.csproj"), $"""
            <Project Sdk="{fixture.Feed.SdkReference}">
              <PropertyGroup>{properties}</PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"probe\");\n");
        return project;
    }

    private static async Task<string> GetPropertyAsync(string project, string property, params string[] extra)
    {
        var result = await DotnetCli.RunAsync(project, ["msbuild", "-getProperty:" + property, .. extra]);
        Assert.True(result.Succeeded, result.Output);
        return result.StandardOutput.Trim();
    }
}
