using Microsoft.CodeAnalysis.CSharp;

namespace Mooring.Generators.Tests;

/// <summary>The shared suite in this project means something only if it really ran on the oldest supported compiler.</summary>
public sealed class CompilerVersionTests
{
    [Fact]
    public void The_suite_runs_on_Roslyn_4_11()
    {
        var version = typeof(CSharpCompilation).Assembly.GetName().Version!;
        Assert.Equal((4, 11), (version.Major, version.Minor));
    }

    [Fact]
    public void The_generator_declares_no_newer_compiler_than_the_one_it_runs_on_here()
    {
        var referenced = typeof(Mooring.Generators.VolumePluginGenerator).Assembly.GetReferencedAssemblies()
            .Single(a => a.Name == "Microsoft.CodeAnalysis.CSharp");
        Assert.True(referenced.Version <= typeof(CSharpCompilation).Assembly.GetName().Version,
            $"the generator references Microsoft.CodeAnalysis.CSharp {referenced.Version}, newer than 4.11: older IDEs and SDKs would not load it");
    }
}
