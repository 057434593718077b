using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Mooring.Generators.Diagnostics;

namespace Mooring.Generators.Tests.Infrastructure;

/// <summary>Builds compilations of user code against the real Mooring.dll and runs the generator and analyzer on them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The BCL and ASP.NET Core shared frameworks of the running runtime, plus Mooring.dll.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compile(params string[] sources) => CompileAssembly("TestPlugin", sources);

    public static CSharpCompilation CompileAssembly(string assemblyName, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"/src/File{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new VolumePluginGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the compilation with the generated trees added.</summary>
    public static GeneratorResult Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorResult(driver, driver.GetRunResult(), (CSharpCompilation)output, generatorDiagnostics);
    }

    public static GeneratorResult Run(params string[] sources) => Run(Compile(sources));

    /// <summary>Runs the analyzer over the compilation (generated code included, as in a real build).</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(params string[] sources)
    {
        var generated = Run(sources).Compilation;
        var analyzed = generated.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new VolumePluginAnalyzer()));
        var diagnostics = await analyzed.GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>Compiler errors and warnings, except the analyzer's own and "unused" noise from test inputs.</summary>
    public static IReadOnlyList<Diagnostic> CompilerProblems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var directories = new[]
        {
            Path.GetDirectoryName(typeof(object).Assembly.Location)!,
            Path.GetDirectoryName(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)!,
        };
        var references = directories.Distinct()
            .SelectMany(d => Directory.EnumerateFiles(d, "*.dll"))
            .Where(IsManagedAssembly)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(Mooring.IVolumeDriver).Assembly.Location));
        return references.ToImmutableArray();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}

internal sealed record GeneratorResult(
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    CSharpCompilation Compilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        RunResult.Results.SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
}
