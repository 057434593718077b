using System.Reflection;
using System.Text;
using System.Text.Json;
using Mooring.Generators.Tests.Infrastructure;
using Mooring.Hosting.Metadata;

namespace Mooring.Generators.Tests;

/// <summary>The generated IVolumePlugin implementation: descriptor, constructor choice, dispatcher and manifest.</summary>
public sealed class GeneratedPluginTests
{
    private const string Storage = "Acme.Volumes.Storage.StorageDriver";

    [Fact]
    public void The_descriptor_carries_the_manifest_socket_and_propagated_mount()
    {
        using var plugin = Load("FullFeatured");

        var descriptor = (PluginDescriptor)plugin.PluginMember(Storage, "Descriptor");

        Assert.Equal("storage.sock", descriptor.SocketName);
        Assert.Equal("/mnt/volumes", descriptor.PropagatedMount);
        Assert.Equal(ManifestConstant(plugin, Storage), descriptor.ManifestJson);
    }

    [Fact]
    public void The_assembly_attribute_holds_the_same_manifest_as_the_constant()
    {
        using var plugin = Load("FullFeatured");

        var attribute = plugin.Assembly.GetCustomAttribute<PluginManifestAttribute>();

        Assert.NotNull(attribute);
        Assert.Equal(ManifestConstant(plugin, Storage), attribute.Json);
    }

    [Fact]
    public void The_manifest_is_config_json_with_every_key_in_order()
    {
        using var plugin = Load("FullFeatured");
        using var json = JsonDocument.Parse(ManifestConstant(plugin, Storage));
        var root = json.RootElement;

        Assert.Equal(
            ["description", "documentation", "interface", "network", "propagatedMount", "mounts", "linux", "env", "args", "ipchost", "pidhost"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Acme \"storage\" volumes \\ ünïcode\ttab", root.GetProperty("description").GetString());
        Assert.Equal("docker.volumedriver/1.0", root.GetProperty("interface").GetProperty("types")[0].GetString());
        Assert.Equal("storage.sock", root.GetProperty("interface").GetProperty("socket").GetString());
        Assert.Equal("host", root.GetProperty("network").GetProperty("type").GetString());

        var config = root.GetProperty("mounts")[0];
        Assert.Equal("config", config.GetProperty("name").GetString());
        Assert.Equal("/etc/acme", config.GetProperty("source").GetString());
        Assert.Equal(["rbind"], config.GetProperty("options").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["source"], config.GetProperty("settable").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("tmpfs", root.GetProperty("mounts")[1].GetProperty("type").GetString());

        var linux = root.GetProperty("linux");
        Assert.Equal(["CAP_SYS_ADMIN", "CAP_MKNOD"], linux.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/dev/fuse", linux.GetProperty("devices")[0].GetProperty("path").GetString());

        var env = root.GetProperty("env").EnumerateArray().ToList();
        Assert.Equal(["DEBUG", "STORAGE_ENDPOINT", "STORAGE_TIER", "STORAGE_WORKERS", "STORAGE_GRACE", "LOG_LEVEL"], env.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("false", env[0].GetProperty("value").GetString());
        Assert.Equal(0, env[2].GetProperty("settable").GetArrayLength());
        Assert.Equal(
            """{"name":"LOG_LEVEL","description":"trace, debug, information, warning, error, critical or none","settable":["value"],"value":"info"}""",
            env[5].GetRawText());

        Assert.Equal(["--verbose", "--color=never"], root.GetProperty("args").GetProperty("value").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("ipchost").GetBoolean());
        Assert.False(root.GetProperty("pidhost").GetBoolean());
    }

    [Fact]
    public void Every_manifest_declares_a_settable_LOG_LEVEL_unless_the_driver_opts_out()
    {
        const string Settings = "[PluginSettings] public sealed class S { [PluginEnv(\"LOG_LEVEL\", Default = \"warning\", Settable = false)] public string? Level { get; set; } } ";
        var declared = GeneratorHarness.Run("using Mooring; namespace L; [VolumePlugin] public sealed partial class LDriver : IVolumeDriver<NoOptions> { " + DriverBody("NoOptions") + " }");
        var optedOut = GeneratorHarness.Run("using Mooring; namespace L; [VolumePlugin(LogLevelSetting = false)] public sealed partial class LDriver : IVolumeDriver<NoOptions> { " + DriverBody("NoOptions") + " }");
        var own = GeneratorHarness.Run("using Mooring; namespace L; " + Settings + "[VolumePlugin(LogLevelSetting = false)] public sealed partial class LDriver : IVolumeDriver<NoOptions> { public LDriver(S settings) { } " + DriverBody("NoOptions") + " }");

        Assert.Equal(["LOG_LEVEL"], EnvNames(declared));
        Assert.Empty(EnvNames(optedOut));
        using (var manifest = JsonDocument.Parse(ManifestOf(own)))
        {
            // The author's own LOG_LEVEL, once, as declared: Mooring adds nothing when told not to.
            var entry = Assert.Single(manifest.RootElement.GetProperty("env").EnumerateArray());
            Assert.Equal("warning", entry.GetProperty("value").GetString());
            Assert.Equal(0, entry.GetProperty("settable").GetArrayLength());
        }
    }

    [Fact]
    public void The_default_socket_is_the_class_name_without_the_Driver_suffix()
    {
        using var scratch = Load("NoOptionsGlobal");
        using var nfs = Load("RequiredOptions");

        Assert.Equal("scratch.sock", ((PluginDescriptor)scratch.PluginMember("ScratchVolumeDriver", "Descriptor")).SocketName);
        Assert.Equal("nfs.sock", ((PluginDescriptor)nfs.PluginMember("Acme.Nfs.NfsDriver", "Descriptor")).SocketName);
        Assert.Equal("/data", ((PluginDescriptor)nfs.PluginMember("Acme.Nfs.NfsDriver", "Descriptor")).PropagatedMount);
    }

    [Fact]
    public void CreateDriver_uses_the_constructor_with_the_most_suppliable_parameters()
    {
        using var plugin = Load("FullFeatured");
        var context = LoadedPlugin.Context(new Dictionary<string, string> { ["STORAGE_ENDPOINT"] = "https://s.example" });

        var driver = plugin.PluginMember(Storage, "CreateDriver", context);

        var settings = LoadedPlugin.Property(driver, "Settings");
        Assert.NotNull(settings);
        Assert.Equal("https://s.example", LoadedPlugin.Property(settings, "Endpoint"));
    }

    [Fact]
    public void CreateDriver_fails_with_the_settings_error_when_a_required_setting_is_missing()
    {
        using var plugin = Load("FullFeatured");

        var error = Assert.Throws<VolumeOptionException>(() => plugin.PluginMember(Storage, "CreateDriver", LoadedPlugin.Context()));

        Assert.Equal("setting 'STORAGE_ENDPOINT' is required", error.Message);
    }

    [Fact]
    public void CreateDriver_passes_the_context_and_a_logger()
    {
        using var nfs = Load("RequiredOptions");
        using var nested = Load("NestedDriver");
        var context = LoadedPlugin.Context();

        Assert.Same(context, LoadedPlugin.Property(nfs.PluginMember("Acme.Nfs.NfsDriver", "CreateDriver", context), "Context"));
        Assert.NotNull(LoadedPlugin.Property(nested.PluginMember("Acme.Plugins.Inner.Plugins+TmpDriver", "CreateDriver", context), "Logger"));
    }

    [Fact]
    public async Task The_dispatcher_routes_requests_through_the_runtime_protocol()
    {
        using var plugin = Load("FullFeatured");
        var context = LoadedPlugin.Context(new Dictionary<string, string> { ["STORAGE_ENDPOINT"] = "x" }, dataRoot: "/mnt/volumes");
        var driver = plugin.PluginMember(Storage, "CreateDriver", context);
        var dispatcher = (PluginDispatcher)plugin.PluginMember(Storage, "CreateDispatcher", driver, context);

        var activate = await dispatcher.DispatchAsync("/Plugin.Activate", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        Assert.Equal(200, activate.StatusCode);
        Assert.Contains("VolumeDriver", Encoding.UTF8.GetString(activate.Body.Span), StringComparison.Ordinal);

        var created = await dispatcher.DispatchAsync("/VolumeDriver.Create", Json("""{"Name":"v1","Opts":{"size":"1g"}}"""), CancellationToken.None);
        Assert.Equal(200, created.StatusCode);

        var badOption = await dispatcher.DispatchAsync("/VolumeDriver.Create", Json("""{"Name":"v1","Opts":{"size":"1g","tier":"warm"}}"""), CancellationToken.None);
        Assert.NotEqual(200, badOption.StatusCode);
        Assert.Contains("volume 'v1': option 'tier' must be one of hot, cold, archive, got 'warm'", Err(badOption), StringComparison.Ordinal);

        var mounted = await dispatcher.DispatchAsync("/VolumeDriver.Mount", Json("""{"Name":"v1","ID":"abc"}"""), CancellationToken.None);
        Assert.Equal(200, mounted.StatusCode);
        Assert.Contains("/mnt/volumes/v1", Encoding.UTF8.GetString(mounted.Body.Span), StringComparison.Ordinal);

        var unknown = await dispatcher.DispatchAsync("/VolumeDriver.Frobnicate", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        Assert.Equal(404, unknown.StatusCode);
    }

    [Fact]
    public void Two_drivers_sharing_an_options_type_in_one_assembly_compile_with_their_own_binders()
    {
        var result = GeneratorHarness.Run(SharedOptions, Driver("FirstDriver"), Driver("SecondDriver"));

        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        Assert.DoesNotContain("Mooring.PluginManifest.g.cs", result.Sources.Keys); // MOOR0011 explains; no duplicate attribute.
        using var plugin = LoadedPlugin.Load(result.Compilation);
        var error = Assert.Throws<VolumeOptionException>(() => plugin.BindOptions("Shared.SecondDriver", "v", new Dictionary<string, string> { ["x"] = "1" }));
        Assert.Equal("volume 'v': unknown option 'x' (known: name)", error.Message);
        Assert.Equal("n1", LoadedPlugin.Property(plugin.BindOptions("Shared.FirstDriver", "v", new Dictionary<string, string> { ["name"] = "n1" }), "Name"));
    }

    [Fact]
    public void Drivers_in_two_assemblies_can_share_an_options_type()
    {
        var library = GeneratorHarness.Run(GeneratorHarness.CompileAssembly("SharedLibrary", SharedOptions, Driver("FirstDriver")));
        Assert.Empty(GeneratorHarness.CompilerProblems(library.Compilation));
        using var first = LoadedPlugin.Load(library.Compilation);

        var consumer = GeneratorHarness.CompileAssembly("Consumer", Driver("SecondDriver").Replace("namespace Shared;", "namespace Consumer;\nusing Shared;", StringComparison.Ordinal))
            .AddReferences(Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(first.Image));
        var result = GeneratorHarness.Run(consumer);

        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        Assert.Contains("Consumer.SecondDriver.Mooring.g.cs", result.Sources.Keys);
        Assert.Contains("global::Shared.SharedOptions BindOptions", result.Sources["Consumer.SecondDriver.Mooring.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Option_names_and_texts_with_quotes_braces_and_backslashes_are_escaped()
    {
        var source = """
            using Mooring;
            namespace Odd;
            public sealed class OddOptions
            {
                [VolumeOption("we{ir}d\"key\\")]
                public int Weird { get; set; }
            }
            [VolumePlugin(Description = "line1\nline2 {braces} \"q\" \\ \u0001", Socket = "o\"dd.sock")]
            public sealed partial class OddDriver : IVolumeDriver<OddOptions>
            {
            """ + DriverBody("OddOptions") + "}";
        var result = GeneratorHarness.Run(source);

        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        using var plugin = LoadedPlugin.Load(result.Compilation);
        var unknown = Assert.Throws<VolumeOptionException>(() => plugin.BindOptions("Odd.OddDriver", "{v}", new Dictionary<string, string> { ["k"] = "1" }));
        Assert.Equal("volume '{v}': unknown option 'k' (known: we{ir}d\"key\\)", unknown.Message);
        Assert.Equal(7, LoadedPlugin.Property(plugin.BindOptions("Odd.OddDriver", "v", new Dictionary<string, string> { ["WE{IR}D\"KEY\\"] = "7" }), "Weird"));

        using var manifest = JsonDocument.Parse(plugin.Assembly.GetCustomAttribute<PluginManifestAttribute>()!.Json);
        Assert.Equal("line1\nline2 {braces} \"q\" \\ \u0001", manifest.RootElement.GetProperty("description").GetString());
        Assert.Equal("o\"dd.sock", manifest.RootElement.GetProperty("interface").GetProperty("socket").GetString());
    }

    [Fact]
    public void A_generic_driver_gets_a_generic_implementation()
    {
        var source = """
            using Mooring;
            namespace Gen;
            [VolumePlugin(Socket = "gen.sock")]
            public sealed partial class GenericDriver<T> : IVolumeDriver<NoOptions>
            {
            """ + DriverBody("NoOptions") + "}";
        var result = GeneratorHarness.Run(source);

        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        Assert.Contains("Gen.GenericDriver{T}.Mooring.g.cs", result.Sources.Keys);
    }

    internal const string SharedOptions = """
        namespace Shared;
        public sealed class SharedOptions
        {
            public string? Name { get; set; }
        }
        """;

    internal static string Driver(string name) => $$"""
        using Mooring;
        namespace Shared;
        [VolumePlugin]
        public sealed partial class {{name}} : IVolumeDriver<SharedOptions>
        {
        {{DriverBody("SharedOptions")}}
        }
        """;

    internal static string DriverBody(string options) => $$"""
            public System.Threading.Tasks.ValueTask CreateAsync(string name, {{options}} options, System.Threading.CancellationToken cancellationToken) => default;
            public System.Threading.Tasks.ValueTask RemoveAsync(string name, System.Threading.CancellationToken cancellationToken) => default;
            public System.Threading.Tasks.ValueTask<string> MountAsync(string name, string id, System.Threading.CancellationToken cancellationToken) => new("/data/" + name);
            public System.Threading.Tasks.ValueTask UnmountAsync(string name, string id, System.Threading.CancellationToken cancellationToken) => default;
            public System.Threading.Tasks.ValueTask<VolumeInfo?> GetAsync(string name, System.Threading.CancellationToken cancellationToken) => new((VolumeInfo?)null);
            public System.Threading.Tasks.ValueTask<System.Collections.Generic.IReadOnlyList<VolumeInfo>> ListAsync(System.Threading.CancellationToken cancellationToken) => new(System.Array.Empty<VolumeInfo>());

        """;

    private static LoadedPlugin Load(string caseName) => LoadedPlugin.Load(GeneratorHarness.Run(Baseline.Input(caseName)).Compilation);

    private static string ManifestConstant(LoadedPlugin plugin, string driver) =>
        (string)plugin.Type(driver).GetField("ManifestJson")!.GetRawConstantValue()!;

    private static string ManifestOf(GeneratorResult result)
    {
        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        var source = result.Sources["Mooring.PluginManifest.g.cs"];
        var literal = source[(source.IndexOf('(', StringComparison.Ordinal) + 1)..source.LastIndexOf(')')];
        return (string)Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(literal).GetFirstToken().Value!;
    }

    private static List<string?> EnvNames(GeneratorResult result)
    {
        using var manifest = JsonDocument.Parse(ManifestOf(result));
        return manifest.RootElement.GetProperty("env").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
    }

    private static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string Err(PluginResponse response)
    {
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("Err").GetString() ?? string.Empty;
    }
}
