using System.Text;
using System.Text.Json;
using Mooring.Generators.Tests.Infrastructure;
using Mooring.Hosting.Metadata;

namespace Mooring.Generators.Tests;

/// <summary>
/// The generated driver-defined operations, compiled and run against the real runtime: the list <c>GET /operations</c>
/// shows, and <c>POST /operations/&lt;name&gt;</c> through the dispatcher (bind, validate, invoke, answer, errors).
/// </summary>
public sealed class OperationBehaviourTests : IDisposable
{
    private const string Snap = "Acme.Snapshots.SnapDriver";

    private readonly LoadedPlugin _plugin = LoadedPlugin.Load(GeneratorHarness.Run(Baseline.Input("Operations")).Compilation);
    private readonly object _driver;
    private readonly PluginDispatcher _dispatcher;

    public OperationBehaviourTests()
    {
        var context = LoadedPlugin.Context();
        _driver = _plugin.PluginMember(Snap, "CreateDriver", context);
        _dispatcher = (PluginDispatcher)_plugin.PluginMember(Snap, "CreateDispatcher", _driver, context);
    }

    private List<string> Calls => (List<string>)LoadedPlugin.Property(_driver, "Calls")!;

    public void Dispose() => _plugin.Dispose();

    [Fact]
    public void The_operations_are_listed_by_name_with_their_arguments()
    {
        var operations = _dispatcher.Operations;

        Assert.Equal(["compact-all", "snapshot"], operations.Select(o => o.Name));
        Assert.False(operations[0].TakesVolume);
        Assert.Empty(operations[0].Arguments);
        var snapshot = operations[1];
        Assert.True(snapshot.TakesVolume);
        Assert.Equal("Copies the volume's data to the snapshot store", snapshot.Description);
        Assert.Equal(
            ["compression none|zstd|gzip False ", "keep int True how many snapshots to keep", "label string False a name for the snapshot", "timeout duration False "],
            snapshot.Arguments.Select(a => $"{a.Name} {a.Type} {a.Required} {a.Description}"));
    }

    [Fact]
    public async Task An_operation_on_a_volume_binds_its_arguments_like_options_and_answers_the_result()
    {
        var response = await InvokeAsync("snapshot", """{"volume":"v1","arguments":{"LABEL":"nightly","keep":"3","compression":"GZIP"}}""");

        Assert.Equal(200, response.StatusCode);
        using var json = JsonDocument.Parse(response.Body);
        var result = json.RootElement.GetProperty("result");
        Assert.Equal("v1", result.GetProperty("volume").GetString());
        Assert.Equal("nightly", result.GetProperty("label").GetString());
        Assert.Equal("3", result.GetProperty("keep").GetString());
        Assert.Equal("Gzip", result.GetProperty("compression").GetString());
        Assert.Equal(["snapshot v1"], Calls);
    }

    [Fact]
    public async Task An_operation_without_a_result_answers_null_and_needs_no_body()
    {
        var empty = await InvokeAsync("compact-all", string.Empty);
        var braces = await InvokeAsync("compact-all", """{"arguments":{}}""");

        Assert.Equal((200, """{"result":null}"""), (empty.StatusCode, Text(empty)));
        Assert.Equal((200, """{"result":null}"""), (braces.StatusCode, Text(braces)));
        Assert.Equal(["compact-all", "compact-all"], Calls);
    }

    [Theory]
    [InlineData("""{"arguments":{"keep":"1"}}""", "operation 'snapshot': field 'volume' is required")]
    [InlineData("""{"volume":"","arguments":{"keep":"1"}}""", "operation 'snapshot': invalid volume name")]
    [InlineData("""{"volume":"../etc","arguments":{"keep":"1"}}""", "operation 'snapshot': invalid volume name")]
    [InlineData("""{"volume":"a/b","arguments":{"keep":"1"}}""", "operation 'snapshot': invalid volume name")]
    [InlineData("""{"volume":7,"arguments":{"keep":"1"}}""", "operation 'snapshot': field 'volume' must be a string")]
    [InlineData("""{"volume":"v1","arguments":["keep"]}""", "operation 'snapshot': field 'arguments' must be an object whose values are strings")]
    [InlineData("""{"volume":"v1","arguments":{"keep":3}}""", "operation 'snapshot': field 'arguments' must be an object whose values are strings")]
    [InlineData("""{"volume":"v1",""", "operation 'snapshot': request body is not valid JSON")]
    [InlineData("""[1]""", "operation 'snapshot': request body must be a JSON object, got an array")]
    [InlineData("""{"volume":"v1"}""", "operation 'snapshot': missing required argument 'keep'")]
    [InlineData("""{"volume":"v1","arguments":{"keep":"1","colour":"red"}}""", "operation 'snapshot': unknown argument 'colour' (known: compression, keep, label, timeout)")]
    [InlineData("""{"volume":"v1","arguments":{"keep":"many"}}""", "operation 'snapshot': argument 'keep' must be")]
    [InlineData("""{"volume":"v1","arguments":{"keep":"1","compression":"lz4"}}""", "operation 'snapshot': argument 'compression' must be one of none, zstd, gzip, got 'lz4'")]
    [InlineData("""{"volume":"v1","arguments":{"keep":"1","timeout":null}}""", "operation 'snapshot': argument 'timeout' must be")]
    public async Task A_bad_request_is_400_with_a_message_naming_the_problem_and_never_reaches_the_driver(string body, string expected)
    {
        var response = await InvokeAsync("snapshot", body);

        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith(expected, Err(response), StringComparison.Ordinal);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task An_operation_on_the_plugin_refuses_a_volume_and_any_argument()
    {
        var volume = await InvokeAsync("compact-all", """{"volume":"v1"}""");
        var argument = await InvokeAsync("compact-all", """{"arguments":{"force":"true"}}""");

        Assert.Equal((400, "operation 'compact-all' does not act on a volume: leave out field 'volume'"), (volume.StatusCode, Err(volume)));
        Assert.Equal((400, "operation 'compact-all': unknown argument 'force' (this operation takes no arguments)"), (argument.StatusCode, Err(argument)));
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task Driver_failures_are_500_with_the_driver_message_or_a_generic_one()
    {
        var full = await InvokeAsync("snapshot", """{"volume":"v1","arguments":{"keep":"1","label":"full"}}""");
        var crash = await InvokeAsync("snapshot", """{"volume":"v2","arguments":{"keep":"1","label":"crash"}}""");

        Assert.Equal((500, "volume 'v1': the snapshot store is full"), (full.StatusCode, Err(full)));
        Assert.Equal((500, "volume 'v2': internal error in the driver (see the plugin log)"), (crash.StatusCode, Err(crash)));
        Assert.DoesNotContain("a bug in the driver", Err(crash), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_operation_is_404_listing_the_known_ones_and_a_long_name_is_cut()
    {
        var unknown = await _dispatcher.InvokeOperationAsync("resize", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var long_ = await _dispatcher.InvokeOperationAsync(new string('x', 10_000), ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Equal((404, "unknown operation 'resize' (known: compact-all, snapshot)"), (unknown.StatusCode, Err(unknown)));
        Assert.Equal(404, long_.StatusCode);
        Assert.True(Err(long_).Length < 200, Err(long_));
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task A_low_level_driver_runs_its_operations_on_itself_and_a_driver_without_any_has_none()
    {
        var source = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Mooring;
            namespace Low;
            public sealed class ResizeArguments { [VolumeOption("size", Required = true)] public ByteSize Size { get; set; } }
            [VolumePlugin]
            public sealed partial class LowDriver : IVolumeDriver<NoOptions>
            {
                [ManagementOperation("resize")]
                internal ValueTask<IReadOnlyDictionary<string, string>> ResizeAsync(string volume, ResizeArguments arguments, CancellationToken cancellationToken)
                    => new(new Dictionary<string, string> { [volume] = arguments.Size.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            """ + GeneratedPluginTests.DriverBody("NoOptions") + "}";
        var result = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.CompilerProblems(result.Compilation));
        using var low = LoadedPlugin.Load(result.Compilation);
        var context = LoadedPlugin.Context();
        var dispatcher = (PluginDispatcher)low.PluginMember("Low.LowDriver", "CreateDispatcher", low.PluginMember("Low.LowDriver", "CreateDriver", context), context);

        var resized = await dispatcher.InvokeOperationAsync("resize", Encoding.UTF8.GetBytes("""{"volume":"v1","arguments":{"size":"2k"}}"""), CancellationToken.None);

        Assert.Equal((200, """{"result":{"v1":"2048"}}"""), (resized.StatusCode, Text(resized)));
        Assert.Equal(["resize"], dispatcher.Operations.Select(o => o.Name));

        using var none = LoadedPlugin.Load(GeneratorHarness.Run(Baseline.Input("NoOptionsGlobal")).Compilation);
        var plain = (PluginDispatcher)none.PluginMember("ScratchVolumeDriver", "CreateDispatcher", none.PluginMember("ScratchVolumeDriver", "CreateDriver", context), context);
        Assert.Empty(plain.Operations);
        Assert.Equal(404, (await plain.InvokeOperationAsync("resize", ReadOnlyMemory<byte>.Empty, CancellationToken.None)).StatusCode);
    }

    private ValueTask<PluginResponse> InvokeAsync(string name, string body) =>
        _dispatcher.InvokeOperationAsync(name, Encoding.UTF8.GetBytes(body), CancellationToken.None);

    private static string Text(PluginResponse response) => Encoding.UTF8.GetString(response.Body.Span);

    private static string Err(PluginResponse response)
    {
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("Err").GetString() ?? string.Empty;
    }
}
