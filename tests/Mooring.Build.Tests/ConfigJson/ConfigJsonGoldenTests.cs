using System.Text;
using Mooring.Build.Manifest;

namespace Mooring.Build.Tests.ConfigJson;

/// <summary>
/// config.json bytes pinned by golden files under <c>ConfigJson/Golden/</c>: the generator's manifests of every
/// baseline driver, and manifests with overrides, nulls and text that needs escaping. Set
/// <c>MOORING_UPDATE_BASELINES=1</c> to rewrite them from the current output.
/// </summary>
public sealed class ConfigJsonGoldenTests
{
    private const string Escapes = "quote \" backslash \\ tab \t newline \n nul \u0001 del \u007f é \u00a0 \u2028 \ue000 \ufeff 😀 <>&'+`";

    private const string Sparse = """
        {"Description":"sparse","Interface":{"Types":["docker.volumedriver/1.0"],"Socket":"p.sock","ProtocolScheme":"moby.plugins.http/v1"},
         "mounts":[{"destination":"/nosource"}],
         "linux":{"devices":[{"name":"d"}]},
         "env":[{"name":"NOVALUE"}],
         "args":{"value":["a","b"],"settable":["value"]}}
        """;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in GeneratorBaselines.Manifests().Keys)
        {
            data.Add(name);
        }

        data.Add("Overrides");
        data.Add("Sparse");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Config_json_bytes_match_the_golden_file(string name)
    {
        var actual = Render(name);
        var file = Path.Combine(GeneratorBaselines.TestDirectory, "ConfigJson", "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("MOORING_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, actual);
            return;
        }

        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(file)), Encoding.UTF8.GetString(actual));
        Assert.Equal(File.ReadAllBytes(file), actual);
    }

    private static byte[] Render(string name) => name switch
    {
        "Overrides" => PluginConfigBuilder.Build(PluginConfigBuilderTests.Manifest, new ConfigOverrides
        {
            Entrypoint = ["/app/Acme", "--verbose"],
            WorkDir = "/",
            Description = Escapes,
            Documentation = "https://example.test/ü",
            Socket = "other.sock",
            PropagatedMount = "/mnt/volumes",
            Network = "host",
            IpcHost = true,
            PidHost = true,
            AllowAllDevices = true,
            Architecture = "arm64",
            Capabilities = ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"],
            Env = [ConfigItems.Env("DEBUG", "changed", ["value"], "1"), ConfigItems.Env("EXTRA", Escapes, [], "x")],
            Mounts = [ConfigItems.Mount("cache", "", "/var/cache", "/cache", "bind", ["rbind", "ro"], []), ConfigItems.Mount("/state", "", "", "/state", "bind", [], ["source"])],
            Devices = [ConfigItems.Device("fuse", "FUSE", "/dev/fuse", ["path"])],
        }),
        "Sparse" => PluginConfigBuilder.Build(Sparse, new ConfigOverrides { Entrypoint = ["/app/Sparse"], WorkDir = "/app" }),
        _ => PluginConfigBuilder.Build(GeneratorBaselines.Manifests()[name], new ConfigOverrides
        {
            Entrypoint = ["/app/" + name],
            WorkDir = "/app",
            Architecture = name == "FullFeatured" ? "amd64" : null,
        }),
    };
}
