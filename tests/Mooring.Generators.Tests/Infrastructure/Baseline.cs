using System.Reflection;
using System.Text;
using Mooring.Generators.Emitting;

namespace Mooring.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files under <c>Baselines/&lt;Case&gt;/</c>: the input <c>Driver.cs</c> and one <c>&lt;hint name&gt;.txt</c>
/// per generated file. Set <c>MOORING_UPDATE_BASELINES=1</c> to rewrite them from the current output.
/// </summary>
internal static class Baseline
{
    public const string UpdateVariable = "MOORING_UPDATE_BASELINES";
    private const string VersionPlaceholder = "%VERSION%";

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Directory => Path.Combine(SourceDirectory(), "Baselines");

    public static IEnumerable<string> Cases() =>
        System.IO.Directory.EnumerateDirectories(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static string Input(string caseName) => File.ReadAllText(Path.Combine(Directory, caseName, "Driver.cs"));

    /// <summary>Compares (or, when requested, rewrites) the expected files of a case.</summary>
    public static void Verify(string caseName, IReadOnlyDictionary<string, string> generated)
    {
        var folder = Path.Combine(Directory, caseName);
        var actual = generated.ToDictionary(p => p.Key + ".txt", p => Scrub(p.Value), StringComparer.Ordinal);
        var expectedFiles = System.IO.Directory.EnumerateFiles(folder, "*.g.cs.txt").Select(Path.GetFileName).OfType<string>().ToList();

        if (UpdateRequested)
        {
            foreach (var stale in expectedFiles.Except(actual.Keys))
            {
                File.Delete(Path.Combine(folder, stale));
            }

            foreach (var (name, text) in actual)
            {
                File.WriteAllText(Path.Combine(folder, name), text, new UTF8Encoding(false));
            }

            return;
        }

        var problems = new StringBuilder();
        foreach (var missing in actual.Keys.Except(expectedFiles).Order(StringComparer.Ordinal))
        {
            problems.AppendLine($"generated but not in the baseline: {missing}");
        }

        foreach (var extra in expectedFiles.Except(actual.Keys).Order(StringComparer.Ordinal))
        {
            problems.AppendLine($"in the baseline but not generated: {extra}");
        }

        foreach (var name in actual.Keys.Intersect(expectedFiles).Order(StringComparer.Ordinal))
        {
            var expected = Normalize(File.ReadAllText(Path.Combine(folder, name)));
            var diff = LineDiff.Unified(expected, Normalize(actual[name]));
            if (diff is not null)
            {
                problems.AppendLine($"--- {caseName}/{name} (expected)").AppendLine($"+++ {caseName}/{name} (actual)").AppendLine(diff);
            }
        }

        if (problems.Length > 0)
        {
            Assert.Fail($"Generated code differs from Baselines/{caseName} (run with {UpdateVariable}=1 to accept):{Environment.NewLine}{problems}");
        }
    }

    /// <summary>Replaces the generator version so a version bump does not touch every baseline.</summary>
    public static string Scrub(string text) =>
        text.Replace($"\"{SourceEmitter.ToolName}\", \"{SourceEmitter.Version}\"", $"\"{SourceEmitter.ToolName}\", \"{VersionPlaceholder}\"", StringComparison.Ordinal);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string SourceDirectory()
    {
        var fromBuild = typeof(Baseline).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Mooring.Generators.Tests.SourceDirectory")?.Value;
        if (fromBuild is not null && System.IO.Directory.Exists(fromBuild))
        {
            return fromBuild;
        }

        // Fallback: walk up from the working directory to the repository root.
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) || File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Mooring.Generators.Tests");
            }
        }

        throw new InvalidOperationException("Cannot find the test project's source directory.");
    }
}
