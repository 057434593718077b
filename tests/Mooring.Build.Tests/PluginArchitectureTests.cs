using Mooring.Build.Push;
using Mooring.Oci;

namespace Mooring.Build.Tests;

public sealed class PluginArchitectureTests
{
    [Theory]
    [InlineData("linux-x64", "amd64")]
    [InlineData("linux-musl-x64", "amd64")]
    [InlineData("linux-arm64", "arm64")]
    [InlineData(" linux-musl-arm64 ", "arm64")]
    [InlineData("linux-arm", "arm")]
    [InlineData("linux-x86", "386")]
    [InlineData("linux-loongarch64", "loong64")]
    [InlineData("linux-mips64", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_runtime_identifier_maps_to_the_architecture_docker_and_registries_use(string? rid, string? expected) =>
        Assert.Equal(expected, PluginArchitecture.FromRuntimeIdentifier(rid));

    [Fact]
    public void Per_architecture_tags_get_the_suffix_and_are_validated_with_it()
    {
        Assert.Equal(["1.2.3-arm64", "latest-arm64"], PushSettings.Tags(["1.2.3;latest"], null, "-arm64"));
        Assert.Equal(["1.2.3-amd64"], PushSettings.Tags([], "1.2.3", "-amd64"));

        // 125 characters are a valid tag; with "-arm64" they are not.
        var error = Assert.Throws<OciException>(() => PushSettings.Tags([], new string('a', 125), "-arm64"));
        Assert.Contains("-arm64' is not a valid tag", error.Message);
        Assert.Equal("MOOR2040", error.Code);
    }
}
