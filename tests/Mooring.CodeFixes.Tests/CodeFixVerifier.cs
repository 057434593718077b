using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Mooring.Generators.Diagnostics;

namespace Mooring.CodeFixes.Tests;

/// <summary>
/// Runs <see cref="VolumePluginAnalyzer"/> on a source, applies <typeparamref name="TCodeFix"/> (one diagnostic at a
/// time, and Fix All), and compares the result with the expected source. Diagnostics are marked in the sources as
/// <c>{|MOOR0001:Name|}</c>; the fixed source must have none left.
/// </summary>
public static class CodeFixVerifier<TCodeFix>
    where TCodeFix : CodeFixProvider, new()
{
    // Basic.Reference.Assemblies instead of the testing library's NuGet download: the tests then need no network.
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(VolumePluginAttribute).Assembly.Location),
    ];

    /// <summary>
    /// Fixes <paramref name="source"/> one diagnostic at a time (<paramref name="iterations"/> fixes in all) and with
    /// Fix All (one pass); both must give <paramref name="fixedSource"/>.
    /// </summary>
    public static Task VerifyAsync(string source, string fixedSource, int iterations = 1)
    {
        var test = Create(source, fixedSource);
        test.NumberOfIncrementalIterations = iterations;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    /// <summary>The fix is not offered: the source stays as it is (the diagnostic itself is still reported).</summary>
    public static Task VerifyNotOfferedAsync(string source) => Create(source, source).RunAsync();

    private static CSharpCodeFixTest<VolumePluginAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<VolumePluginAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            // The analyzer parses a driver's whole shape from the driver's symbol action, so a problem of its options
            // class or of an enclosing type is reported outside the driver's declaration: a "non-local" diagnostic,
            // which the IDE shows (and offers these fixes for) from the build and full-solution analysis.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.AdditionalReferences.AddRange(References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            // As in a project with <Nullable>enable</Nullable>: the 'required' fix must not leave a CS8618 behind.
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
        });
        return test;
    }
}
