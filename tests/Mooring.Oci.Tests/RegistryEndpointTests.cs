using Mooring.Oci.Registry;

namespace Mooring.Oci.Tests;

public class RegistryEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("127.1.2.3")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:5000")]
    [InlineData("[::1]:5000")]
    [InlineData("[::1]")]
    public void Loopback_registries_use_http(string registry)
    {
        Assert.True(RegistryEndpoint.IsLoopback(registry));
        Assert.True(RegistryEndpoint.IsInsecure(registry));
        Assert.Equal("http", RegistryEndpoint.GetBaseUri(registry).Scheme);
    }

    [Theory]
    [InlineData("registry-1.docker.io")]
    [InlineData("ghcr.io")]
    [InlineData("10.0.0.5:5000")]
    [InlineData("128.0.0.1")]
    [InlineData("localhost.example.com")]
    [InlineData("registry.localhost:8080")]   // a name under .localhost is not resolved, so not trusted as loopback
    [InlineData("localhost.:5000")]
    [InlineData("[::2]:5000")]
    public void Other_registries_use_https(string registry)
    {
        Assert.False(RegistryEndpoint.IsInsecure(registry));
        Assert.Equal("https", RegistryEndpoint.GetBaseUri(registry).Scheme);
    }

    [Theory]
    [InlineData("10.0.0.5:5000", "10.0.0.5:5000", true)]
    [InlineData("10.0.0.5:5000", "10.0.0.5", true)]
    [InlineData("10.0.0.5:5000", "10.0.0.5:5001", false)]
    [InlineData("Reg.Example:5000", "reg.example:5000", true)]
    [InlineData("reg.example", " http://reg.example/ ", true)]
    [InlineData("reg.example", "other.example", false)]
    public void Listed_insecure_registries_use_http(string registry, string listed, bool insecure)
    {
        Assert.Equal(insecure, RegistryEndpoint.IsInsecure(registry, [listed]));
        Assert.Equal(insecure ? "http" : "https", RegistryEndpoint.GetBaseUri(registry, [listed]).Scheme);
    }

    [Fact]
    public void Client_base_uri_follows_the_same_rules_and_maps_docker_hub()
    {
        using var hub = new RegistryClient("docker.io");
        Assert.Equal(new Uri("https://registry-1.docker.io/"), hub.BaseUri);
        using var local = new RegistryClient("127.0.0.1:5000");
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), local.BaseUri);
        using var listed = new RegistryClient("reg.internal:5000", new RegistryClientOptions { InsecureRegistries = ["reg.internal"] });
        Assert.Equal(new Uri("http://reg.internal:5000/"), listed.BaseUri);
    }
}
