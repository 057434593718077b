using Mooring.Build.Docker;
using Mooring.Oci;

namespace Mooring.Build.Tests;

public sealed class PluginNamesTests
{
    [Theory]
    [InlineData("localvolume")]
    [InlineData("acme/volumes:1.0")]
    [InlineData("registry.example:5000/acme/volumes:1.0.0-rc.1")]
    [InlineData("127.0.0.1:5000/a_b/c-d.e")]
    public void Accepts_docker_references(string name) => Assert.Equal(name, PluginNames.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("LocalVolume")]
    [InlineData("my plugin")]
    [InlineData("acme/volumes@sha256:abc")]
    [InlineData("-leading")]
    [InlineData("acme//volumes")]
    public void Refuses_what_docker_refuses(string name)
    {
        var error = Assert.Throws<OciException>(() => PluginNames.Validate(name));
        Assert.Equal("MOOR1007", error.Code);
    }
}
