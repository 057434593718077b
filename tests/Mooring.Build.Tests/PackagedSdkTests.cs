using System.Text.Json.Nodes;
using Mooring.Build.Elf;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>The SDK as users get it: packed fresh, consumed through &lt;Project Sdk="Mooring.Sdk/version"&gt;.</summary>
[Collection(PackagedSdkCollection.Name)]
public sealed class PackagedSdkTests(PackagedSdkFixture fixture)
{
    private static string PluginDirectory(string project) => Path.Combine(project, "bin", "Release", "net10.0", BuildMachine.RuntimeIdentifier, "plugin");

    [Fact]
    public async Task Publish_PluginDirectory_writes_config_json_from_the_assembly_manifest_plus_overrides()
    {
        var (project, publish) = await fixture.GetProbeAsync();
        Assert.True(publish.Succeeded, publish.Output);

        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(PluginDirectory(project), "config.json")))!;
        Assert.Equal("Overridden by MSBuild", config["description"]!.GetValue<string>());
        Assert.Equal("https://example.test", config["documentation"]!.GetValue<string>());
        Assert.Equal(["/app/Probe"], config["entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray());
        Assert.Equal("/app", config["workdir"]!.GetValue<string>());
        Assert.Equal("probe.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("PROBE_MODE", config["env"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("fast", config["env"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("value", config["env"]![0]!["settable"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_PluginDirectory_assembles_a_rootfs_the_binary_runs_in()
    {
        var (project, publish) = await fixture.GetProbeAsync();
        Assert.True(publish.Succeeded, publish.Output);
        var rootfs = Path.Combine(PluginDirectory(project), "rootfs");

        var binary = new FileInfo(Path.Combine(rootfs, "app", "Probe"));
        Assert.True(binary.Exists);
        Assert.True(binary.UnixFileMode.HasFlag(UnixFileMode.UserExecute));
        var interpreter = new FileInfo(Path.Combine(rootfs, "lib64", "ld-linux-x86-64.so.2"));
        Assert.True(interpreter.Exists);
        Assert.Null(interpreter.LinkTarget);
        Assert.NotEmpty(Directory.GetFiles(rootfs, "libc.so.6", SearchOption.AllDirectories));
        Assert.Equal("hello from the rootfs\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "mooring", "hello.txt")));
        Assert.True(Directory.Exists(Path.Combine(rootfs, "run", "docker", "plugins")));
        Assert.True(Directory.Exists(Path.Combine(rootfs, "data")));
        Assert.True(File.GetUnixFileMode(Path.Combine(rootfs, "tmp")).HasFlag(UnixFileMode.StickyBit));
        Assert.Empty(Directory.GetFiles(rootfs, "*.dbg", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(rootfs, "*.xml", SearchOption.AllDirectories));

        // The rootfs is complete: the binary starts in it with nothing from the host.
        var run = await ProcessRunner.RunAsync("chroot", [rootfs, "/app/Probe"]);
        Assert.True(run.Succeeded, run.Output);
        Assert.Equal("probe says hello", run.StandardOutput.Trim());
    }

    [Fact]
    public async Task The_binary_packs_its_relocations_in_place_of_dehydrated_data_where_its_libc_loads_them()
    {
        var (project, publish) = await fixture.GetProbeAsync();
        Assert.True(publish.Succeeded, publish.Output);
        var binary = Path.Combine(PluginDirectory(project), "rootfs", "app", "Probe");
        var expected = PackedRelocations.Decide(BuildMachine.RuntimeIdentifier, [], null);

        var dynamic = (await ProcessRunner.RunAsync("readelf", ["--dynamic", "--wide", binary])).EnsureSuccess().StandardOutput;
        var versions = (await ProcessRunner.RunAsync("readelf", ["--version-info", "--wide", binary])).EnsureSuccess().StandardOutput;
        var ilcArguments = await File.ReadAllTextAsync(Directory.GetFiles(project, "Probe.ilc.rsp", SearchOption.AllDirectories).Single());

        Assert.Equal(expected.Packed, dynamic.Contains("(RELR)", StringComparison.Ordinal));
        Assert.Equal(expected.Packed, versions.Contains(PackedRelocations.GlibcRelrVersion, StringComparison.Ordinal));
        Assert.Equal(!expected.Packed, ilcArguments.Contains("--dehydrate", StringComparison.Ordinal));
        Assert.Contains("PIE", dynamic);
    }

    [Fact]
    public async Task A_second_publish_with_no_change_does_no_work()
    {
        var (project, publish) = await fixture.GetProbeAsync();
        Assert.True(publish.Succeeded, publish.Output);
        var config = Path.Combine(PluginDirectory(project), "config.json");
        var binary = Path.Combine(PluginDirectory(project), "rootfs", "app", "Probe");
        var before = (File.GetLastWriteTimeUtc(config), File.GetLastWriteTimeUtc(binary));

        var again = await DotnetCli.RunAsync(project, ["publish", "-t:PluginDirectory", "-v:n"]);

        Assert.True(again.Succeeded, again.Output);
        Assert.Contains("config.json is up to date", again.StandardOutput);
        Assert.Contains("rootfs is up to date", again.StandardOutput);
        Assert.Equal(before, (File.GetLastWriteTimeUtc(config), File.GetLastWriteTimeUtc(binary)));
    }

    [Fact]
    public async Task A_PluginDirectory_given_without_a_trailing_slash_still_holds_config_json_and_rootfs()
    {
        var (project, publish) = await fixture.GetProbeAsync();
        Assert.True(publish.Succeeded, publish.Output);
        var target = Path.Combine(project, "out", "custom-plugin");

        var result = await DotnetCli.RunAsync(project, ["publish", "-t:PluginDirectory", "-p:PluginDirectory=" + target]);

        Assert.True(result.Succeeded, result.Output);
        Assert.True(File.Exists(Path.Combine(target, "config.json")), result.Output);
        Assert.True(File.Exists(Path.Combine(target, "rootfs", "app", "Probe")), result.Output);
        Assert.False(File.Exists(target + "config.json"));
    }

    [Fact]
    public async Task A_missing_elf_library_is_error_MOOR1004_naming_the_library()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["publish", "-t:PluginDirectory", "-p:ExtraLibrary=libmooring-missing.so.7"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1004", result.StandardOutput);
        Assert.Contains("'libmooring-missing.so.7'", result.StandardOutput);
        Assert.Contains("PluginLibrarySearchPath", result.StandardOutput);
    }

    [Fact]
    public async Task A_non_linux_runtime_identifier_is_error_MOOR1002()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["msbuild", "-t:PluginConfig", "-p:RuntimeIdentifier=win-x64"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1002", result.StandardOutput);
        Assert.Contains("'win-x64'", result.StandardOutput);
    }

    [Fact]
    public async Task Turning_aot_off_without_a_base_image_is_error_MOOR1003()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["msbuild", "-t:PluginConfig", "-p:PublishAot=false"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1003", result.StandardOutput);
        Assert.Contains("PluginBaseImage", result.StandardOutput);
    }

    [Fact]
    public async Task PluginCreate_without_an_engine_is_error_MOOR1008_naming_the_address()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["publish", "-t:PluginCreate", "-p:PluginDockerHost=unix:///tmp/moor-no-engine/docker.sock"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1008: no Docker engine answered at unix:///tmp/moor-no-engine/docker.sock", result.StandardOutput);
    }

    [Fact]
    public async Task PluginCreate_with_an_invalid_name_is_error_MOOR1007()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["publish", "-t:PluginCreate", "-p:PluginName=Not Valid"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1007", result.StandardOutput);
    }

    [Fact]
    public async Task PluginCreate_without_a_docker_cli_is_error_MOOR1009()
    {
        var (project, _) = await fixture.GetProbeAsync();

        var result = await DotnetCli.RunAsync(project, ["publish", "-t:PluginCreate", "-p:PluginDockerCli=/nonexistent/docker"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1009", result.StandardOutput);
    }

    [Fact]
    public async Task A_project_without_a_driver_is_error_MOOR1001()
    {
        var directory = fixture.Feed.CreateConsumerDirectory("nodriver");
        await File.WriteAllTextAsync(Path.Combine(directory, "NoDriver.csproj"), $"""<Project Sdk="{fixture.Feed.SdkReference}" />""");
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), "System.Console.WriteLine();\n");

        var result = await DotnetCli.RunAsync(directory, ["build", "-t:PluginConfig"]);

        Assert.False(result.Succeeded);
        Assert.Contains("error MOOR1001", result.StandardOutput);
        Assert.Contains("[VolumePlugin]", result.StandardOutput);
    }

    [Fact]
    public async Task The_sample_driver_builds_with_central_package_management_and_its_generated_manifest_reaches_config_json()
    {
        var directory = fixture.Feed.CreateConsumerDirectory("cpm");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        foreach (var source in Directory.GetFiles(RepositoryLayout.PathOf("samples", "LocalVolume"), "*.cs"))
        {
            File.Copy(source, Path.Combine(directory, Path.GetFileName(source)));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "LocalVolume.csproj"), $"""
            <Project Sdk="{fixture.Feed.SdkReference}">
              <PropertyGroup>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
              </PropertyGroup>
            </Project>
            """);

        var result = await DotnetCli.RunAsync(directory, ["build", "-t:PluginConfig"]);

        Assert.True(result.Succeeded, result.Output);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "bin", "Debug", "net10.0", BuildMachine.RuntimeIdentifier, "plugin", "config.json")))!;
        Assert.Equal("localvolume.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("/data", config["propagatedMount"]!.GetValue<string>());
        Assert.Equal("docker.volumedriver/1.0", config["interface"]!["types"]![0]!.GetValue<string>());
        Assert.Equal("/app/LocalVolume", config["entrypoint"]![0]!.GetValue<string>());
    }
}
