using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mooring.Build.Tests.ConfigJson;

/// <summary>
/// The manifests the source generator wrote for the drivers of <c>tests/Mooring.Generators.Tests/Baselines</c>: the
/// <c>ManifestJson</c> constant of each expected <c>.g.cs.txt</c>, so these tests read exactly what the generator emits.
/// </summary>
internal static class GeneratorBaselines
{
    public static string RepositoryDirectory
    {
        get
        {
            var fromBuild = typeof(GeneratorBaselines).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "Mooring.Build.Tests.SourceDirectory")?.Value;
            return fromBuild is not null && Directory.Exists(fromBuild)
                ? Path.GetFullPath(Path.Combine(fromBuild, "..", ".."))
                : throw new InvalidOperationException("The test assembly does not name its source directory.");
        }
    }

    public static string TestDirectory => Path.Combine(RepositoryDirectory, "tests", "Mooring.Build.Tests");

    /// <summary>Case name → the manifest JSON the generator wrote.</summary>
    public static IReadOnlyDictionary<string, string> Manifests()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var baselines = Path.Combine(RepositoryDirectory, "tests", "Mooring.Generators.Tests", "Baselines");
        foreach (var file in Directory.EnumerateFiles(baselines, "*.g.cs.txt", SearchOption.AllDirectories))
        {
            var declarator = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot().DescendantNodes()
                .OfType<VariableDeclaratorSyntax>().FirstOrDefault(v => v.Identifier.ValueText == "ManifestJson");
            if (declarator?.Initializer?.Value is LiteralExpressionSyntax literal)
            {
                result.Add(Path.GetFileName(Path.GetDirectoryName(file)!), literal.Token.ValueText);
            }
        }

        return result;
    }
}
