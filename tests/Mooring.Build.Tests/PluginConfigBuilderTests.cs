using System.Text;
using System.Text.Json.Nodes;
using Mooring.Build.Manifest;
using Mooring.Build.Tests.ConfigJson;
using Mooring.Oci;

namespace Mooring.Build.Tests;

public sealed class PluginConfigBuilderTests
{
    internal const string Manifest = """
        {"description":"Directories as volumes","documentation":"https://example.test/doc",
         "interface":{"types":["docker.volumedriver/1.0"],"socket":"local.sock"},
         "network":{"type":""},"propagatedMount":"/data",
         "mounts":[{"name":"state","description":"host state","source":"/var/lib/x","destination":"/state","type":"bind","options":["rbind"],"settable":["source"]}],
         "linux":{"capabilities":["CAP_SYS_ADMIN"],"allowAllDevices":false,"devices":[{"name":"fuse","description":"","path":"/dev/fuse","settable":[]}]},
         "env":[{"name":"DEBUG","description":"verbose","settable":["value"],"value":"0"}],
         "args":{"name":"args","description":"","settable":[],"value":[]},"ipchost":false,"pidhost":false,
         "futureField":{"x":1}}
        """;

    private static ConfigOverrides Defaults => new() { Entrypoint = ["/app/Acme"], WorkDir = "/app" };

    [Fact]
    public void Writes_every_docker_field_in_a_fixed_order_with_entrypoint_and_workdir()
    {
        var text = Encoding.UTF8.GetString(PluginConfigBuilder.Build(Manifest, Defaults));
        var config = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(
            ["description", "documentation", "entrypoint", "workdir", "interface", "network", "propagatedMount", "mounts", "linux", "env", "args", "ipchost", "pidhost"],
            config.Select(p => p.Key).ToArray());
        Assert.Equal("/app/Acme", config["entrypoint"]![0]!.GetValue<string>());
        Assert.Equal("/app", config["workdir"]!.GetValue<string>());
        Assert.Equal("local.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("CAP_SYS_ADMIN", config["linux"]!["capabilities"]![0]!.GetValue<string>());
        Assert.Equal("/dev/fuse", config["linux"]!["devices"]![0]!["path"]!.GetValue<string>());
        Assert.DoesNotContain("futureField", text);
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("}\n", text);
        Assert.Contains("\n  \"description\"", text);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        Assert.Equal(PluginConfigBuilder.Build(Manifest, Defaults), PluginConfigBuilder.Build(Manifest, Defaults));
    }

    [Fact]
    public void Msbuild_overrides_replace_and_extend_the_manifest()
    {
        var overrides = new ConfigOverrides
        {
            Entrypoint = ["/app/Acme", "--verbose"],
            WorkDir = "/",
            Description = "Overridden",
            Socket = "other.sock",
            PropagatedMount = "/mnt/volumes",
            Network = "host",
            PidHost = true,
            Capabilities = ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"],
            Env = [ConfigItems.Env("DEBUG", "changed", ["value"], "1"), ConfigItems.Env("EXTRA", "", [], "x")],
            Mounts = [ConfigItems.Mount("cache", "", "/var/cache", "/cache", "bind", ["rbind", "ro"], [])],
            Devices = [ConfigItems.Device("fuse", "FUSE", "/dev/fuse", ["path"])],
        };

        var config = JsonNode.Parse(PluginConfigBuilder.Build(Manifest, overrides))!;

        Assert.Equal("Overridden", config["description"]!.GetValue<string>());
        Assert.Equal("https://example.test/doc", config["documentation"]!.GetValue<string>());
        Assert.Equal("other.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("/mnt/volumes", config["propagatedMount"]!.GetValue<string>());
        Assert.Equal("host", config["network"]!["type"]!.GetValue<string>());
        Assert.True(config["pidhost"]!.GetValue<bool>());
        Assert.Equal(2, config["linux"]!["capabilities"]!.AsArray().Count);
        var env = config["env"]!.AsArray();
        Assert.Equal(2, env.Count);
        Assert.Equal("1", env[0]!["value"]!.GetValue<string>());
        Assert.Equal("EXTRA", env[1]!["name"]!.GetValue<string>());
        Assert.Equal(["/state", "/cache"], config["mounts"]!.AsArray().Select(m => m!["destination"]!.GetValue<string>()).ToArray());
        Assert.Equal("path", config["linux"]!["devices"]![0]!["settable"]![0]!.GetValue<string>());
        Assert.Equal("--verbose", config["entrypoint"]![1]!.GetValue<string>());
    }

    [Fact]
    public void Accepts_a_manifest_with_pascal_case_keys_as_docker_does()
    {
        var config = JsonNode.Parse(PluginConfigBuilder.Build(
            """{"Description":"D","Interface":{"Types":["docker.volumedriver/1.0"],"Socket":"p.sock"}}""", Defaults))!;

        Assert.Equal("D", config["description"]!.GetValue<string>());
        Assert.Equal("p.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("", config["propagatedMount"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json", "MOOR1005", "not valid JSON")]
    [InlineData("[1]", "MOOR1005", "not a JSON object")]
    [InlineData("""{"interface":{"types":[],"socket":"x.sock"}}""", "MOOR1005", "no interface.types")]
    [InlineData("""{"interface":{"types":"docker.volumedriver/1.0","socket":"x.sock"}}""", "MOOR1005", "'types' is not an array of strings")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"a/b.sock"}}""", "MOOR1006", "PluginSocket 'a/b.sock'")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"x.sock"},"propagatedMount":"data"}""", "MOOR1006", "PluginPropagatedMount 'data' must be an absolute path")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"x.sock"},"network":{"type":"overlay"}}""", "MOOR1006", "PluginNetwork 'overlay'")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"x.sock"},"linux":{"capabilities":["sys_admin"]}}""", "MOOR1006", "'sys_admin' is not a Linux capability")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"x.sock"},"mounts":{"name":"m"}}""", "MOOR1005", "'mounts' is not an array of objects")]
    [InlineData("""{"interface":{"types":["docker.volumedriver/1.0"],"socket":"x.sock"},"description":"lone \ud800"}""", "MOOR1005", "not valid UTF-16")]
    public void Bad_input_is_an_error_with_a_code_and_a_fix(string manifest, string code, string message)
    {
        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(manifest, Defaults));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Propagated_mount_with_dot_dot_is_refused()
    {
        var error = Assert.Throws<OciException>(() => PluginConfigBuilder.Build(Manifest, Defaults.With(propagatedMount: "/data/../etc")));
        Assert.Equal("MOOR1006", error.Code);
    }
}

internal static class ConfigOverridesExtensions
{
    public static ConfigOverrides With(this ConfigOverrides overrides, string? propagatedMount = null) => new()
    {
        Entrypoint = overrides.Entrypoint,
        WorkDir = overrides.WorkDir,
        PropagatedMount = propagatedMount ?? overrides.PropagatedMount,
    };
}
