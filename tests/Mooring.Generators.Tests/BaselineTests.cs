using Mooring.Generators.Tests.Infrastructure;

namespace Mooring.Generators.Tests;

/// <summary>The generated code for representative drivers, compared with golden files under Baselines/.</summary>
public sealed class BaselineTests
{
    public static TheoryData<string> Cases() => new(Baseline.Cases());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_the_baseline(string caseName)
    {
        var result = GeneratorHarness.Run(Baseline.Input(caseName));

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.NotEmpty(result.Sources);
        Baseline.Verify(caseName, result.Sources);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_compiles_without_errors_or_warnings(string caseName)
    {
        var result = GeneratorHarness.Run(Baseline.Input(caseName));

        var problems = GeneratorHarness.CompilerProblems(result.Compilation);
        Assert.True(problems.Count == 0, GeneratorHarness.Format(problems));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_public_members_are_documented(string caseName)
    {
        // As in a project with GenerateDocumentationFile: CS1591 would fail builds that treat warnings as errors.
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
        var input = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Baseline.Input(caseName), options, path: "/src/Driver.cs");
        var compilation = GeneratorHarness.Compile().AddSyntaxTrees(input);
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            new[] { Microsoft.CodeAnalysis.GeneratorExtensions.AsSourceGenerator(new VolumePluginGenerator()) }, parseOptions: options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var generated = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(generated);
        var undocumented = output.GetDiagnostics().Where(d => d.Id == "CS1591" && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(undocumented.Count == 0, GeneratorHarness.Format(undocumented));
    }

    [Fact]
    public void Binding_an_obsolete_option_does_not_warn()
    {
        var source = "using Mooring; namespace Old; public sealed class O { [System.Obsolete(\"use B\")] public int A { get; set; } } "
            + "[VolumePlugin] public sealed partial class OldDriver : IVolumeDriver<O> { " + GeneratedPluginTests.DriverBody("O") + " }";

        var result = GeneratorHarness.Run(source);

        var problems = GeneratorHarness.CompilerProblems(result.Compilation);
        Assert.True(problems.Count == 0, GeneratorHarness.Format(problems));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Baseline_inputs_raise_no_Mooring_diagnostics(string caseName)
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Baseline.Input(caseName));

        Assert.True(diagnostics.IsEmpty, GeneratorHarness.Format(diagnostics));
    }

    [Fact]
    public void Every_expected_case_has_a_baseline_folder()
    {
        Assert.Equal(["FullFeatured", "ManagedDirectory", "NestedDriver", "NoOptionsGlobal", "Operations", "RequiredOptions"], Baseline.Cases());
    }
}
