using System.Reflection;
using System.Text.RegularExpressions;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// sdk/Mooring.Build/ErrorCodes.cs is the table of MOOR1xxx codes: every code there is documented in docs/msbuild.md, and
/// every code an SDK targets file raises by itself is in the table, so no code lives in one place only.
/// </summary>
public sealed partial class ErrorCodeTableTests
{
    private static IReadOnlyList<string> TableCodes() =>
        typeof(ErrorCodes).Assembly.GetType("Mooring.Build.ErrorCodes", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    [Fact]
    public void Every_code_in_the_table_is_documented_in_msbuild_md()
    {
        var docs = File.ReadAllText(RepositoryLayout.PathOf("docs", "msbuild.md"));

        // MOOR2040/MOOR2041 (push settings, local files) are documented with the registry codes in docs/push.md.
        Assert.All(TableCodes().Where(code => code.StartsWith("MOOR1", StringComparison.Ordinal)), code => Assert.Contains("| " + code + " |", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_code_the_sdk_targets_raise_is_in_the_table()
    {
        var table = TableCodes();
        var raised = Directory.GetFiles(RepositoryLayout.PathOf("sdk", "Mooring.Sdk", "Sdk"))
            .SelectMany(file => CodeAttribute().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.Contains("MOOR1015", raised);
        Assert.All(raised, code => Assert.Contains(code, table));
    }

    [GeneratedRegex("Code=\"(MOOR\\d{4})\"")]
    private static partial Regex CodeAttribute();
}
