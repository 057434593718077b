using Microsoft.CodeAnalysis;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Tests.Infrastructure;

namespace Mooring.Generators.Tests;

/// <summary>Each MOOR diagnostic fires on the user's code at the right place, and stays silent on the fixed code.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using Mooring;
        using Mooring.Hosting;

        """;

    // A [ManagementOperation] method's result type and its two parameter lists.
    private const string Result = "System.Threading.Tasks.ValueTask<IReadOnlyDictionary<string, string>?>";
    private const string OnVolume = "(string volume, NoOptions arguments, System.Threading.CancellationToken ct) => default;";
    private const string OnPlugin = "(NoOptions arguments, System.Threading.CancellationToken ct) => default;";

    public static TheoryData<string, string, string> BadCode() => new()
    {
        { "MOOR0014", "operation name with capitals", Usings + Driver("NoOptions", $"[ManagementOperation([|\"Snapshot\"|])] public {Result} S{OnVolume}") },
        { "MOOR0014", "operation name starting with a digit", Usings + Driver("NoOptions", $"[ManagementOperation([|\"1up\"|])] public {Result} S{OnPlugin}") },
        { "MOOR0014", "operation name with a space", Usings + Driver("NoOptions", $"[ManagementOperation([|\"take snapshot\"|])] public {Result} S{OnPlugin}") },
        { "MOOR0014", "empty operation name", Usings + Driver("NoOptions", $"[ManagementOperation([|\"\"|])] public {Result} S{OnPlugin}") },
        { "MOOR0014", "operation name of 41 characters", Usings + Driver("NoOptions", $"[ManagementOperation([|\"{new string('a', 41)}\"|])] public {Result} S{OnPlugin}") },
        { "MOOR0015", "two methods, one operation name", Usings + Driver("NoOptions", $"[ManagementOperation(\"snap\")] public {Result} A{OnVolume} [ManagementOperation([|\"snap\"|])] public {Result} B{OnPlugin}") },
        { "MOOR0016", "static operation", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public static {Result} [|S|]{OnPlugin}") },
        { "MOOR0016", "generic operation", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|]<T>{OnPlugin}") },
        { "MOOR0016", "private operation", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] private {Result} [|S|]{OnPlugin}") },
        { "MOOR0016", "operation returning a Task", Usings + Driver("NoOptions", "[ManagementOperation(\"s\")] public System.Threading.Tasks.Task<IReadOnlyDictionary<string, string>?> [|S|](NoOptions arguments, System.Threading.CancellationToken ct) => null!;") },
        { "MOOR0016", "operation returning a dictionary of ints", Usings + Driver("NoOptions", "[ManagementOperation(\"s\")] public System.Threading.Tasks.ValueTask<IReadOnlyDictionary<string, int>?> [|S|](NoOptions arguments, System.Threading.CancellationToken ct) => default;") },
        { "MOOR0016", "operation without a cancellation token", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|](NoOptions arguments) => default;") },
        { "MOOR0016", "operation whose volume is not a string", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|](int volume, NoOptions arguments, System.Threading.CancellationToken ct) => default;") },
        { "MOOR0016", "operation whose last parameter is not a token", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|](NoOptions arguments, string ct) => default;") },
        { "MOOR0016", "operation with a ref parameter", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|](ref NoOptions arguments, System.Threading.CancellationToken ct) => default;") },
        { "MOOR0016", "operation whose arguments are a string", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} [|S|](string volume, string arguments, System.Threading.CancellationToken ct) => default;") },
        { "MOOR0004", "arguments class without parameterless constructor", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} S(A arguments, System.Threading.CancellationToken ct) => default;") + "public sealed class [|A|] { public A(int x) { } }" },
        { "MOOR0004", "argument of an unsupported type", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} S(A arguments, System.Threading.CancellationToken ct) => default; [ManagementOperation(\"t\")] public {Result} T(string volume, A arguments, System.Threading.CancellationToken ct) => default;") + "public sealed class A { public [|List<string>|] Tags { get; set; } = new(); }" },
        { "MOOR0003", "two arguments equal ignoring case", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} S(A arguments, System.Threading.CancellationToken ct) => default;") + "public sealed class A { [VolumeOption(\"keep\")] public int K { get; set; } [VolumeOption([|\"KEEP\"|])] public int L { get; set; } }" },
        { "MOOR0007", "a setting named LOG_LEVEL while Mooring declares it", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv([|\"LOG_LEVEL\"|])] public string? Level { get; set; } }" },
        { "MOOR0001", "not partial", Usings + "[VolumePlugin] public sealed class [|D|] : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " }" },
        { "MOOR0001", "containing type not partial", Usings + "public static class [|Outer|] { [VolumePlugin] public sealed partial class D : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " } }" },
        { "MOOR0002", "no IVolumeDriver<T>", Usings + "[VolumePlugin] public sealed partial class [|D|] { }" },
        { "MOOR0002", "only the untyped IVolumeDriver", Usings + "[VolumePlugin] public sealed partial class [|D|] : IVolumeDriver { " + Body(null) + " }" },
        { "MOOR0010", "abstract driver", Usings + "[VolumePlugin] public abstract partial class [|D|] : IVolumeDriver<NoOptions> { " + Body("NoOptions", isAbstract: true) + " }" },
        { "MOOR0003", "two keys equal ignoring case", Usings + Driver("O") + "public sealed class O { [VolumeOption(\"size\")] public int A { get; set; } [VolumeOption([|\"Size\"|])] public int B { get; set; } }" },
        { "MOOR0003", "explicit name equal to an implicit one", Usings + Driver("O") + "public sealed class O { public int Size { get; set; } [VolumeOption([|\"size\"|])] public long Other { get; set; } }" },
        { "MOOR0004", "unsupported option type", Usings + Driver("O") + "public sealed class O { public [|List<string>|] Tags { get; set; } = new(); }" },
        { "MOOR0004", "init-only option", Usings + Driver("O") + "public sealed class O { [VolumeOption(\"x\")] public int [|X|] { get; init; } }" },
        { "MOOR0004", "option marked but not public", Usings + Driver("O") + "public sealed class O { [VolumeOption(\"x\")] internal int [|X|] { get; set; } }" },
        { "MOOR0004", "options class without parameterless constructor", Usings + Driver("O") + "public sealed class [|O|] { public O(int x) { } }" },
        { "MOOR0004", "settings class without parameterless constructor", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class [|S|] { public S(int x) { } [PluginEnv(\"X\")] public string? X { get; set; } }" },
        { "MOOR0004", "unsupported setting type", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"X\")] public [|double|] X { get; set; } }" },
        { "MOOR0004", "setting default that cannot parse", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"WORKERS\", Default = [|\"four\"|])] public int Workers { get; set; } [PluginEnv(\"MODE\", Default = [|\"sideways\"|])] public DayOfWeek Day { get; set; } }" },
        { "MOOR0004", "setting defaults the runtime parsers refuse", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"TIMEOUT\", Default = [|\"30\"|])] public TimeSpan Timeout { get; set; } [PluginEnv(\"CACHE\", Default = [|\"10x\"|])] public ByteSize Cache { get; set; } [PluginEnv(\"MODE\", Default = [|\"0789\"|])] public System.IO.UnixFileMode Mode { get; set; } [PluginEnv(\"WORKERS\", Default = [|\" 4\"|])] public int Workers { get; set; } }" },
        { "MOOR0005", "socket with a slash", Usings + Driver("NoOptions", attribute: "Socket = [|\"run/x.sock\"|]") },
        { "MOOR0005", "empty socket", Usings + Driver("NoOptions", attribute: "Socket = [|\"\"|]") },
        { "MOOR0005", "socket too long", Usings + Driver("NoOptions", attribute: "Socket = [|\"" + new string('s', 101) + "\"|]") },
        { "MOOR0006", "relative propagated mount", Usings + Driver("NoOptions", attribute: "PropagatedMount = [|\"data\"|]") },
        { "MOOR0006", "propagated mount with ..", Usings + Driver("NoOptions", attribute: "PropagatedMount = [|\"/data/../etc\"|]") },
        { "MOOR0007", "env name starting with a digit", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv([|\"1X\"|])] public string? X { get; set; } }" },
        { "MOOR0007", "env name with a dash", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv([|\"MY-VAR\"|])] public string? X { get; set; } }" },
        { "MOOR0007", "env name used twice", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"A\")] public string? X { get; set; } [PluginEnv([|\"A\"|])] public string? Y { get; set; } }" },
        { "MOOR0008", "settable mount without source", Usings + Driver("NoOptions", extraAttributes: "[PluginMount(\"/etc/x\", Name = \"cfg\", Settable = [|true|])]") },
        { "MOOR0008", "settable mount without name", Usings + Driver("NoOptions", extraAttributes: "[PluginMount(\"/etc/x\", Source = \"/etc/x\", Settable = [|true|])]") },
        { "MOOR0009", "capability without CAP_", Usings + Driver("NoOptions", attribute: "LinuxCapabilities = new[] { \"CAP_SYS_ADMIN\", [|\"SYS_ADMIN\"|] }") },
        { "MOOR0009", "made-up capability", Usings + Driver("NoOptions", attribute: "LinuxCapabilities = new[] { [|\"CAP_EVERYTHING\"|] }") },
        { "MOOR0010", "constructor takes an unknown service", Usings + Driver("NoOptions", "public D(string path) { }", identifierMarked: true) },
        { "MOOR0010", "constructor is private", Usings + Driver("NoOptions", "private D() { }", identifierMarked: true) },
        { "MOOR0011", "two drivers", Usings + "[[|VolumePlugin|]] public sealed partial class D1 : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " }\n[[|VolumePlugin|]] public sealed partial class D2 : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " }" },
        { "MOOR0002", "both driver models", Usings + "[VolumePlugin] public sealed partial class [|D|] : IVolumeDriver<NoOptions>, IManagedVolumeDriver<NoOptions> { " + Body("NoOptions") + " public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; }" },
        { "MOOR0013", "managed driver with a Mount it expects to be called", Usings + "[VolumePlugin] public sealed partial class D : IManagedVolumeDriver<NoOptions> { public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; public System.Threading.Tasks.ValueTask<string> [|MountAsync|](string name, string id, System.Threading.CancellationToken ct) => new(name); }" },
        { "MOOR0013", "managed driver with a Remove it expects to be called", Usings + "[VolumePlugin] public sealed partial class D : IManagedVolumeDriver<NoOptions> { public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; public System.Threading.Tasks.ValueTask [|RemoveAsync|](string name, System.Threading.CancellationToken ct) => default; }" },
        { "MOOR0012", "settable device without path", Usings + Driver("NoOptions", extraAttributes: "[PluginDevice([|\"\"|], Name = \"dev\", Settable = true)]") },
        { "MOOR0012", "settable device without name", Usings + Driver("NoOptions", extraAttributes: "[PluginDevice(\"/dev/fuse\", Settable = [|true|])]") },
    };

    public static TheoryData<string, string> GoodCode() => new()
    {
        { "MOOR0014", Usings + Driver("NoOptions", $"[ManagementOperation(\"take-snapshot-2\")] public {Result} S{OnVolume} [ManagementOperation(\"{new string('a', 40)}\")] public {Result} T{OnPlugin}") },
        { "MOOR0015", Usings + Driver("NoOptions", $"[ManagementOperation(\"snap\")] public {Result} A{OnVolume} [ManagementOperation(\"snap-all\")] public {Result} B{OnPlugin}") },
        { "MOOR0016", Usings + Driver("NoOptions", $"[ManagementOperation(\"s\", Description = \"on a volume\")] internal {Result} S(string volume, A arguments, System.Threading.CancellationToken ct) => default; [ManagementOperation(\"t\")] public System.Threading.Tasks.ValueTask<IReadOnlyDictionary<string, string>> T(A arguments, System.Threading.CancellationToken ct) => default;") + "public sealed class A { [VolumeOption(\"keep\", Required = true)] public int Keep { get; set; } public ByteSize? Size { get; set; } }" },
        { "MOOR0016", Usings + $"[VolumePlugin] public sealed partial class D : IManagedVolumeDriver<NoOptions> {{ public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; [ManagementOperation(\"s\")] public {Result} S{OnVolume} }}" },
        { "MOOR0007", Usings + "[VolumePlugin(LogLevelSetting = false)] public sealed partial class D : IVolumeDriver<NoOptions> { public D(S settings) { } " + Body("NoOptions") + " }\n[PluginSettings] public sealed class S { [PluginEnv(\"LOG_LEVEL\", Default = \"info\")] public string? Level { get; set; } }" },
        { "MOOR0001", Usings + Driver("NoOptions") },
        { "MOOR0001", Usings + "public static partial class Outer { [VolumePlugin] public sealed partial class D : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " } }" },
        { "MOOR0002", Usings + Driver("NoOptions") },
        { "MOOR0002", Usings + "[VolumePlugin] public sealed partial class D : IManagedVolumeDriver<NoOptions> { public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; }" },
        { "MOOR0013", Usings + "[VolumePlugin] public sealed partial class D : IManagedVolumeDriver<NoOptions> { public System.Threading.Tasks.ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; public System.Threading.Tasks.ValueTask AttachAsync(ManagedVolume<NoOptions> volume, System.Threading.CancellationToken ct) => default; }" },
        { "MOOR0004", Usings + Driver("O") + "public sealed class O { public System.IO.UnixFileMode? Mode { get; set; } }" },
        { "MOOR0003", Usings + Driver("O") + "public sealed class O { [VolumeOption(\"size\")] public int A { get; set; } [VolumeOption(\"max-size\")] public int B { get; set; } }" },
        { "MOOR0004", Usings + Driver("O") + "public sealed class O { public string? A { get; set; } public long B { get; set; } public bool? C { get; set; } public TimeSpan D { get; set; } public ByteSize? E { get; set; } public DayOfWeek F { get; set; } public int Computed => 1; internal List<string> Hidden { get; set; } = new(); }" },
        { "MOOR0004", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"WORKERS\", Default = \"4\")] public int Workers { get; set; } [PluginEnv(\"DAY\", Default = \"monday\")] public DayOfWeek Day { get; set; } [PluginEnv(\"DEBUG\", Default = \"on\")] public bool Debug { get; set; } [PluginEnv(\"GRACE\", Default = \"30s\")] public TimeSpan Grace { get; set; } }" },
        { "MOOR0005", Usings + Driver("NoOptions", attribute: "Socket = \"acme-volumes.sock\"") },
        { "MOOR0006", Usings + Driver("NoOptions", attribute: "PropagatedMount = \"/var/lib/acme\"") },
        { "MOOR0007", Usings + Driver("NoOptions", "public D(S settings) { }") + "[PluginSettings] public sealed class S { [PluginEnv(\"_MY_VAR2\")] public string? X { get; set; } }" },
        { "MOOR0008", Usings + Driver("NoOptions", extraAttributes: "[PluginMount(\"/etc/x\", Name = \"cfg\", Source = \"\", Settable = true)]") },
        { "MOOR0009", Usings + Driver("NoOptions", attribute: "LinuxCapabilities = new[] { \"CAP_SYS_ADMIN\", \"CAP_CHECKPOINT_RESTORE\" }") },
        { "MOOR0010", Usings + Driver("NoOptions", "public D(PluginContext context, Microsoft.Extensions.Logging.ILoggerFactory factory) { } public D(string unused) { }") },
        { "MOOR0011", Usings + Driver("NoOptions") + "public sealed partial class NotADriver { }" },
        { "MOOR0012", Usings + Driver("NoOptions", extraAttributes: "[PluginDevice(\"/dev/fuse\", Name = \"fuse\", Settable = true)]") },
    };

    [Theory]
    [MemberData(nameof(BadCode))]
    public async Task Bad_code_reports_the_diagnostic_at_the_marked_span(string id, string scenario, string markup)
    {
        var parsed = Markup.Parse(markup);

        var diagnostics = await GeneratorHarness.AnalyzeAsync(parsed.Source);

        var matching = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(
            matching.Count == parsed.Spans.Count && matching.Select(d => d.Location.SourceSpan).SequenceEqual(parsed.Spans),
            $"{scenario}: expected {id} at {string.Join(", ", parsed.Spans)}, got:{Environment.NewLine}{GeneratorHarness.Format(diagnostics)}");
        Assert.All(matching, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.All(diagnostics, d => Assert.Equal(id, d.Id));
    }

    [Theory]
    [MemberData(nameof(BadCode))]
    public void Bad_code_never_makes_the_generated_code_fail_to_compile(string id, string scenario, string markup)
    {
        var result = GeneratorHarness.Run(Markup.Parse(markup).Source);

        var generatedErrors = result.Compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generatedErrors.Count == 0, $"{id} ({scenario}): {GeneratorHarness.Format(generatedErrors)}");
    }

    [Theory]
    [MemberData(nameof(GoodCode))]
    public async Task Good_code_reports_nothing(string id, string source)
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(source);

        Assert.True(diagnostics.IsEmpty, $"{id}: {GeneratorHarness.Format(diagnostics)}");
    }

    [Theory]
    [MemberData(nameof(GoodCode))]
    public void Good_code_compiles_with_the_generated_code(string id, string source)
    {
        var result = GeneratorHarness.Run(source);

        var problems = GeneratorHarness.CompilerProblems(result.Compilation);
        Assert.True(problems.Count == 0, $"{id}: {GeneratorHarness.Format(problems)}");
    }

    [Fact]
    public async Task Messages_say_what_to_do()
    {
        var capability = await GeneratorHarness.AnalyzeAsync(Usings + Driver("NoOptions", attribute: "LinuxCapabilities = new[] { \"sys_admin\" }"));
        Assert.Equal("'sys_admin' is not a Linux capability; did you mean 'CAP_SYS_ADMIN'?", Assert.Single(capability).GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        var constructor = await GeneratorHarness.AnalyzeAsync(Usings + Driver("NoOptions", "public D(string path) { }"));
        Assert.Equal(
            "'D' has no constructor Mooring can call: parameter 'string path' of D(string) is not something Mooring supplies; constructors may take PluginContext, [PluginSettings] classes, ILogger<T>, ILogger and ILoggerFactory",
            Assert.Single(constructor).GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        var shape = await GeneratorHarness.AnalyzeAsync(Usings + Driver("NoOptions", $"[ManagementOperation(\"s\")] public {Result} Snap(NoOptions arguments) => default;"));
        Assert.Equal(
            "Method 'Snap' cannot be a management operation: it takes 1 parameter; declare 'ValueTask<IReadOnlyDictionary<string, string>?> Snap(string volume, TArguments arguments, CancellationToken cancellationToken)', or the same without the volume parameter",
            Assert.Single(shape).GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        var name = await GeneratorHarness.AnalyzeAsync(Usings + Driver("NoOptions", $"[ManagementOperation(\"snap_shot\")] public {Result} Snap{OnPlugin}"));
        Assert.Equal("Operation name 'snap_shot' contains '_'; use lower-case letters, digits and dashes", Assert.Single(name).GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        var twoDrivers = await GeneratorHarness.AnalyzeAsync(Usings + Driver("NoOptions") + "[VolumePlugin] public sealed partial class B : IVolumeDriver<NoOptions> { " + Body("NoOptions") + " }");
        Assert.All(twoDrivers, d => Assert.Contains("(B, D)", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_diagnostic_has_a_stable_id_and_a_help_link_into_the_docs()
    {
        var analyzer = new VolumePluginAnalyzer();
        var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).ToList();

        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"MOOR{i:0000}"), ids);
        Assert.All(analyzer.SupportedDiagnostics, d => Assert.EndsWith("#" + d.Id.ToLowerInvariant(), d.HelpLinkUri, StringComparison.Ordinal));
        var docs = File.ReadAllText(Path.Combine(Baseline.Directory, "..", "..", "..", "docs", "diagnostics.md"));
        Assert.All(ids, id => Assert.Contains("## " + id, docs, StringComparison.Ordinal));
    }

    private static string Driver(string options, string members = "", string attribute = "", string extraAttributes = "", bool identifierMarked = false) =>
        $"[VolumePlugin({attribute})]{extraAttributes}\npublic sealed partial class {(identifierMarked ? "[|D|]" : "D")} : IVolumeDriver<{options}> {{ {members} {Body(options)} }}\n";

    private static string Body(string? options, bool isAbstract = false)
    {
        var create = options is null ? string.Empty : $"public System.Threading.Tasks.ValueTask CreateAsync(string name, {options} options, System.Threading.CancellationToken ct) => default; ";
        var prefix = isAbstract ? "public abstract" : "public";
        var tail = isAbstract ? ";" : " => default;";
        return create
            + $"{prefix} System.Threading.Tasks.ValueTask RemoveAsync(string name, System.Threading.CancellationToken ct){tail} "
            + $"{prefix} System.Threading.Tasks.ValueTask<string> MountAsync(string name, string id, System.Threading.CancellationToken ct){(isAbstract ? ";" : " => new(\"/data/\" + name);")} "
            + $"{prefix} System.Threading.Tasks.ValueTask UnmountAsync(string name, string id, System.Threading.CancellationToken ct){tail} "
            + $"{prefix} System.Threading.Tasks.ValueTask<VolumeInfo?> GetAsync(string name, System.Threading.CancellationToken ct){tail} "
            + $"{prefix} System.Threading.Tasks.ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(System.Threading.CancellationToken ct){(isAbstract ? ";" : " => new(Array.Empty<VolumeInfo>());")}";
    }
}
