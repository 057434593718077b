using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mooring.Oci;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// The error-code tables are the one owner of every MOOR1xxx/MOOR2xxx code: sdk/Mooring.Build/ErrorCodes.cs (what the
/// tasks and targets raise themselves) and sdk/Mooring.Oci/OciErrorCodes.cs (registry and artefact errors, which the tasks
/// log with the code the library gave them). Every code there is documented at the anchor its help link names, raised
/// somewhere, and spelt the same in the targets; no source or targets file raises a code the tables do not hold.
/// </summary>
public sealed partial class ErrorCodeTableTests
{
    private static readonly Type[] Tables = [typeof(ErrorCodes), typeof(OciErrorCodes)];

    private static IEnumerable<(Type Table, string Name, string Code)> TableEntries() =>
        Tables.SelectMany(table => table.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (table, f.Name, (string)f.GetRawConstantValue()!)));

    private static IReadOnlyList<string> TableCodes() => TableEntries().Select(e => e.Code).ToList();

    private static IEnumerable<XElement> TargetsErrors() =>
        Directory.GetFiles(RepositoryLayout.PathOf("sdk", "Mooring.Sdk", "Sdk"))
            .Where(f => f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(f).Descendants().Where(e => e.Name.LocalName == "Error"));

    private static IEnumerable<(string Path, string Text)> Sources(params string[] project) =>
        Directory.GetFiles(RepositoryLayout.PathOf(["sdk", .. project]), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(f)));

    [Fact]
    public void Each_code_is_in_one_table_once()
    {
        var codes = TableCodes();

        Assert.Contains("MOOR1001", codes);
        Assert.Contains("MOOR2001", codes);
        Assert.Empty(codes.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(codes, code => Assert.Matches("^MOOR[12][0-9]{3}$", code));
    }

    [Fact]
    public void Every_code_is_documented_at_the_anchor_its_help_link_names()
    {
        Assert.All(TableCodes(), code =>
        {
            var link = ErrorCodes.HelpLink(code);
            var match = HelpLinkPattern().Match(link);
            Assert.True(match.Success, $"{code}: help link '{link}' is not a docs page with an anchor");
            Assert.Equal(code.ToLowerInvariant(), match.Groups["anchor"].Value);

            // The row that documents the code carries the anchor: "| <a id="moor1001"></a>MOOR1001 | …".
            var docs = File.ReadAllText(RepositoryLayout.PathOf("docs", match.Groups["page"].Value));
            Assert.Contains($"| <a id=\"{match.Groups["anchor"].Value}\"></a>{code} |", docs, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Help_links_point_where_the_analyzers_point()
    {
        // generators/Mooring.Generators/Diagnostics/DiagnosticDescriptors.cs links MOOR0xxx to the same repository's docs.
        var descriptors = File.ReadAllText(RepositoryLayout.PathOf("generators", "Mooring.Generators", "Diagnostics", "DiagnosticDescriptors.cs"));
        var analyzerBase = AnalyzerHelpBase().Match(descriptors).Groups["base"].Value;

        Assert.Equal(analyzerBase.Replace("diagnostics.md#", "msbuild.md#moor1001", StringComparison.Ordinal), ErrorCodes.HelpLink("MOOR1001"));
        Assert.Equal(analyzerBase.Replace("diagnostics.md#", "push.md#moor2040", StringComparison.Ordinal), ErrorCodes.HelpLink(ErrorCodes.BadSetting));
    }

    [Fact]
    public void Every_error_the_sdk_targets_raise_has_a_table_code_and_its_help_link()
    {
        var errors = TargetsErrors().ToList();
        var table = TableCodes();

        Assert.Contains(errors, e => (string?)e.Attribute("Code") == ErrorCodes.NotLinuxHost);
        Assert.All(errors, error =>
        {
            var code = (string?)error.Attribute("Code") ?? "";
            Assert.True(code.Length > 0, $"an <Error> in the targets has no Code: {error}");
            Assert.Contains(code, table);
            Assert.Equal(ErrorCodes.HelpLink(code), (string?)error.Attribute("HelpLink"));
        });
    }

    [Fact]
    public void Every_code_in_the_tables_is_raised_by_a_task_a_target_or_the_library()
    {
        var buildSources = string.Join("\n", Sources("Mooring.Build").Where(s => !s.Path.EndsWith("ErrorCodes.cs", StringComparison.Ordinal)).Select(s => s.Text));
        var ociSources = string.Join("\n", Sources("Mooring.Oci").Where(s => !s.Path.EndsWith("OciErrorCodes.cs", StringComparison.Ordinal)).Select(s => s.Text));
        var targetCodes = TargetsErrors().Select(e => (string?)e.Attribute("Code")).ToHashSet();

        Assert.All(TableEntries(), entry =>
        {
            var used = entry.Table == typeof(ErrorCodes)
                ? Regex.IsMatch(buildSources, $@"(?<![A-Za-z])ErrorCodes\.{entry.Name}\b") || targetCodes.Contains(entry.Code)
                : Regex.IsMatch(ociSources + buildSources, $@"\bOciErrorCodes\.{entry.Name}\b");
            Assert.True(used, $"{entry.Table.Name}.{entry.Name} ({entry.Code}) is raised nowhere: delete it, or raise it");
        });
    }

    [Fact]
    public void No_source_spells_a_code_outside_the_tables()
    {
        var spelt = Sources("Mooring.Build").Concat(Sources("Mooring.Oci"))
            .Where(s => !s.Path.EndsWith("ErrorCodes.cs", StringComparison.Ordinal))
            .SelectMany(s => CodeLiteral().Matches(s.Text).Select(m => $"{Path.GetFileName(s.Path)}: {m.Value}"));

        Assert.Empty(spelt);
    }

    [Fact]
    public void Every_task_error_is_logged_with_its_help_link()
    {
        // MooringTask.LogCodedError is the one place that logs a coded error; any other LogError would lose the link.
        var calls = Sources("Mooring.Build")
            .SelectMany(s => LogErrorCall().Matches(s.Text).Select(m => (Path.GetFileName(s.Path), m.Value)))
            .ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Contains("helpLink: ErrorCodes.HelpLink(code)", call.Value, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^https://github\.com/[^#]+/docs/(?<page>[a-z]+\.md)#(?<anchor>moor[0-9]{4})$")]
    private static partial Regex HelpLinkPattern();

    [GeneratedRegex("HelpBase = \"(?<base>[^\"]+)\"")]
    private static partial Regex AnalyzerHelpBase();

    [GeneratedRegex("\"MOOR[0-9]{4}\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"Log\.LogError\([^;]*;")]
    private static partial Regex LogErrorCall();
}
