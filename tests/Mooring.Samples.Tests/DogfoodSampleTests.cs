using System.Text.Json.Nodes;
using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// The in-repo mode: samples build through sdk/Mooring.Sdk/Sdk/*.props|targets from source. The run's shared publish
/// (eng/publish-test-samples.sh) is exactly that build, in a clean artifacts folder of its own, so this checks its output
/// instead of compiling the SDK and the sample a second time.
/// </summary>
public sealed class DogfoodSampleTests
{
    [Fact]
    public async Task The_sample_publishes_a_plugin_directory_from_source_in_a_clean_artifacts_folder()
    {
        var sample = await PublishedSamples.GetAsync("LocalVolume");

        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(sample.PluginDirectory, "config.json")))!;
        Assert.Equal("localvolume.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("/app/LocalVolume", config["entrypoint"]![0]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(sample.PluginDirectory, "rootfs", "app", "LocalVolume")));

        // The tasks came from the freshly built sdk/Mooring.Build in that artifacts folder, not from a package.
        Assert.True(File.Exists(Path.Combine(sample.ArtifactsPath, "bin", "Mooring.Build", "release", "Mooring.Build.dll")));
        Assert.True(File.Exists(Path.Combine(sample.ArtifactsPath, "bin", "LocalVolume", "release_" + BuildMachine.RuntimeIdentifier, "LocalVolume.dll")));
        Assert.DoesNotContain("Mooring.Sdk/", sample.PublishLog, StringComparison.Ordinal);
    }
}
