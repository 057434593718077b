using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mooring.Generators.Tests.Infrastructure;

namespace Mooring.Generators.Tests;

/// <summary>
/// The pipeline caches: an edit that does not change the generated code leaves every tracked step Cached or
/// Unchanged, a real edit flows through, and no Roslyn object (which would pin old compilations) is kept in a model.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Tracking_names_are_all_used()
    {
        var result = RunTwice(Baseline.Input("FullFeatured"), compilation => compilation.AddSyntaxTrees(Unrelated()));

        Assert.Equal(3, StepNames.Length);
        Assert.All(StepNames, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} was not tracked"));
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        var result = RunTwice(Baseline.Input("FullFeatured"), compilation => compilation.AddSyntaxTrees(Unrelated()));

        AssertNothingChanged(result);
    }

    [Fact]
    public void Editing_a_method_body_of_the_driver_leaves_the_output_unchanged()
    {
        var source = Baseline.Input("FullFeatured");
        var result = RunTwice(source, compilation => Replace(compilation, "=> new(\"/mnt/volumes/\" + name);", "=> new(\"/mnt/volumes/\" + name.Trim());"));

        AssertNothingChanged(result);
    }

    [Fact]
    public void Renaming_an_option_regenerates_the_driver()
    {
        var result = RunTwice(Baseline.Input("FullFeatured"), compilation => Replace(compilation, "[VolumeOption(\"max-size\")]", "[VolumeOption(\"maximum\")]"));

        var reasons = result.TrackedSteps[TrackingNames.ValidDrivers].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("case \"maximum\":", result.GeneratedSources.Single(s => s.HintName.EndsWith("StorageDriver.Mooring.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FullFeatured")]
    [InlineData("NoOptionsGlobal")]
    [InlineData("NestedDriver")]
    [InlineData("ManagedDirectory")]
    [InlineData("Operations")]
    public void Pipeline_values_hold_no_Roslyn_objects(string caseName)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(Baseline.Input(caseName)));
        var result = driver.GetRunResult().Results.Single();

        var values = result.TrackedSteps.Where(s => StepNames.Contains(s.Key))
            .SelectMany(s => s.Value)
            .SelectMany(step => step.Outputs)
            .Select(o => o.Value)
            .ToList();

        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            AssertNoRoslynObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), "output");
        }
    }

    [Fact]
    public void The_same_source_gives_equal_models_in_separate_compilations()
    {
        var first = ModelOf(GeneratorHarness.Compile(Baseline.Input("FullFeatured")));
        var second = ModelOf(GeneratorHarness.Compile(Baseline.Input("FullFeatured")));

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    private static object ModelOf(Compilation compilation) =>
        GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single()
            .TrackedSteps[TrackingNames.ValidDrivers].Single().Outputs.Single().Value;

    private static GeneratorRunResult RunTwice(string source, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(edit(compilation));
        return driver.GetRunResult().Results.Single();
    }

    private static void AssertNothingChanged(GeneratorRunResult result)
    {
        foreach (var name in StepNames)
        {
            foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {name} output was {output.Reason}");
            }
        }

        foreach (var (name, steps) in result.TrackedOutputSteps)
        {
            Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"source output {name} was {o.Reason}"));
        }
    }

    private static SyntaxTree Unrelated() =>
        CSharpSyntaxTree.ParseText("namespace Elsewhere; public sealed class Unrelated { public int Value { get; set; } }", GeneratorHarness.ParseOptions, path: "/src/Unrelated.cs");

    private static CSharpCompilation Replace(CSharpCompilation compilation, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(oldText, StringComparison.Ordinal));
        var edited = tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf(oldText, StringComparison.Ordinal), oldText.Length, newText));
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or Compilation or SemanticModel or SyntaxNode or SyntaxTree or Location or AttributeData,
            $"{path} holds a {value.GetType().FullName}");

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, seen, $"{path}[{i++}]");
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoRoslynObjects(field.GetValue(value), seen, $"{path}.{field.Name}");
            }
        }
    }
}
