using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mooring.Build.Manifest;
using Mooring.PluginConfiguration;

namespace Mooring.Build.Tests.ConfigJson;

/// <summary>
/// sdk/Common/PluginConfig is the one owner of config.json: the generator and Mooring.Build compile the same model and
/// writer, so the same model renders to the same bytes in both, every key it writes is spelled in PluginConfigKeys, and
/// every key is documented.
/// </summary>
public sealed partial class OneConfigWriterTests
{
    public static TheoryData<string> BaselineCases() => new(GeneratorBaselines.Manifests().Keys);

    [Theory]
    [MemberData(nameof(BaselineCases))]
    public void The_build_renders_the_model_of_a_generated_manifest_to_the_generators_bytes(string name)
    {
        var generated = GeneratorBaselines.Manifests()[name];

        var model = PluginConfigReader.Read(generated);

        // Mooring.Build's copy of the writer, given what the build read, writes what the generator's copy wrote.
        Assert.Equal(generated, PluginConfigWriter.Write(model, JsonTextStyle.Compact));
    }

    [Fact]
    public void Every_key_is_written_by_the_writer_and_spelled_in_PluginConfigKeys()
    {
        var keys = typeof(PluginConfigKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

        var written = new HashSet<string>(StringComparer.Ordinal);
        Collect(JsonNode.Parse(PluginConfigWriter.Write(Full(), JsonTextStyle.Indented))!, written);

        Assert.Equal(keys.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_key_is_documented()
    {
        var protocol = File.ReadAllText(Path.Combine(GeneratorBaselines.RepositoryDirectory, "docs", "protocol.md"));
        var fields = protocol[protocol.IndexOf("### 3.1 config.json fields", StringComparison.Ordinal)..protocol.IndexOf("### 3.2", StringComparison.Ordinal)];
        var msbuild = File.ReadAllText(Path.Combine(GeneratorBaselines.RepositoryDirectory, "docs", "msbuild.md"));

        var undocumented = typeof(PluginConfigKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(key => !Regex.IsMatch(fields, $@"(?<![\w-]){Regex.Escape(key)}(?![\w-])") && !msbuild.Contains($"`{key}`", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void The_indented_style_escapes_every_character_as_System_Text_Json_did()
    {
        // config.json was written by Utf8JsonWriter with the relaxed encoder; the same bytes keep a plugin's digest.
        var texts = Enumerable.Range(0, 0x10000).Select(c => ((char)c).ToString())
            .Concat(["😀", "a\ud800b", "\udc00", "x\ud83d", "\ud83d\ude00\ude00", "tab\tquote\"\\é\u2028"]);
        var different = texts.Where(text => Indented(text) != Reference(text)).Select(text => $"{Reference(text)} vs {Indented(text)}").Take(10).ToList();

        Assert.Empty(different);
    }

    [Fact]
    public void The_indented_layout_is_System_Text_Json_s()
    {
        var config = Full();
        var text = PluginConfigWriter.Write(config, JsonTextStyle.Indented);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonNode.Parse(text)!.WriteTo(writer);
        }

        Assert.Equal(Encoding.UTF8.GetString(buffer.ToArray()) + "\n", text);
    }

    [Fact]
    public void The_compact_style_is_ascii_only()
    {
        var config = Full();
        config.Description = "é 😀 \u2028 \u007f";

        var text = PluginConfigWriter.Write(config, JsonTextStyle.Compact);

        Assert.All(text, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(config.Description, JsonNode.Parse(text)![PluginConfigKeys.Description]!.GetValue<string>());
    }

    private static string Indented(string text) => new JsonText(JsonTextStyle.Indented).String(null, text).ToString();

    private static string Reference(string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // A model with every optional field set, so the writer writes every key it knows.
    private static PluginConfigDocument Full() => new()
    {
        Description = "d",
        Entrypoint = ["/app/x"],
        WorkDir = "/app",
        InterfaceTypes = [PluginConfigDefaults.VolumeDriverInterface],
        Socket = "x.sock",
        ProtocolScheme = "moby.plugins.http/v1",
        Mounts = [ConfigItems.Mount("m", "", "/src", "/dst", PluginConfigDefaults.MountType, ["rbind"], [PluginConfigKeys.Source])],
        Devices = [ConfigItems.Device("fuse", "", "/dev/fuse", [])],
        Env = [ConfigItems.Env("E", "", [], null)],
        Architecture = "amd64",
    };

    private static void Collect(JsonNode node, HashSet<string> keys)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    keys.Add(key);
                    if (value is not null)
                    {
                        Collect(value, keys);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.OfType<JsonNode>())
                {
                    Collect(item, keys);
                }

                break;
        }
    }
}
