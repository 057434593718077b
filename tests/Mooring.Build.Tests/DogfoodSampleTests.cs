using System.Text.Json.Nodes;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>The in-repo mode: samples build through sdk/Mooring.Sdk/Sdk/*.props|targets from source.</summary>
public sealed class DogfoodSampleTests
{
    [Fact]
    public async Task The_sample_publishes_a_plugin_directory_from_source_in_a_clean_artifacts_folder()
    {
        using var artifacts = new TempDirectory();

        var result = await DotnetCli.RunAsync(RepositoryLayout.Root,
            ["publish", "samples/LocalVolume/LocalVolume.csproj", "-t:PluginDirectory", "-v:n"],
            new Dictionary<string, string?> { ["ArtifactsPath"] = artifacts.Path }, TimeSpan.FromMinutes(15));

        Assert.True(result.Succeeded, result.Output);
        var plugin = artifacts.Combine("bin", "LocalVolume", "release_linux-x64", "plugin");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(plugin, "config.json")))!;
        Assert.Equal("localvolume.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("/app/LocalVolume", config["entrypoint"]![0]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(plugin, "rootfs", "app", "LocalVolume")));

        // The tasks came from the freshly built sdk/Mooring.Build, not from a package.
        Assert.True(File.Exists(artifacts.Combine("bin", "Mooring.Build", "release", "Mooring.Build.dll")));
        Assert.DoesNotContain("Mooring.Sdk/", result.StandardOutput);
    }
}
