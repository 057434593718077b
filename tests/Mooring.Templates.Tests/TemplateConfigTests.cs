using System.Text.Json;
using System.Text.RegularExpressions;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>The template's configuration as IDEs read it: every symbol has a display name, and ide.host.json only
/// names symbols that exist; and every `dotnet new dockervolume` line users copy names only options that exist.</summary>
public sealed partial class TemplateConfigTests
{
    // dotnet new's own options that the repository's command lines use, besides the template's.
    private static readonly string[] DotnetNewOptions = ["--name", "--output", "--debug:custom-hive", "--force", "--dry-run"];
    private static string ConfigPath(string file) =>
        RepositoryLayout.PathOf("templates", "Mooring.Templates", "content", "dockervolume", ".template.config", file);

    [Fact]
    public void Every_symbol_has_a_display_name()
    {
        using var template = JsonDocument.Parse(File.ReadAllText(ConfigPath("template.json")));
        var missing = template.RootElement.GetProperty("symbols").EnumerateObject()
            .Where(symbol => !symbol.Value.TryGetProperty("displayName", out var name) || string.IsNullOrWhiteSpace(name.GetString()))
            .Select(symbol => symbol.Name)
            .ToList();
        Assert.True(missing.Count == 0, "symbols without a displayName: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_cli_and_ide_hosts_name_only_parameters_of_the_template()
    {
        using var template = JsonDocument.Parse(File.ReadAllText(ConfigPath("template.json")));
        var parameters = template.RootElement.GetProperty("symbols").EnumerateObject()
            .Where(symbol => symbol.Value.GetProperty("type").GetString() == "parameter")
            .Select(symbol => symbol.Name)
            .ToHashSet(StringComparer.Ordinal);

        using var cli = JsonDocument.Parse(File.ReadAllText(ConfigPath("dotnetcli.host.json")));
        var cliSymbols = cli.RootElement.GetProperty("symbolInfo").EnumerateObject().Select(s => s.Name).ToList();
        Assert.Equal(parameters.Order(StringComparer.Ordinal), cliSymbols.Order(StringComparer.Ordinal));

        using var ide = JsonDocument.Parse(File.ReadAllText(ConfigPath("ide.host.json")));
        foreach (var symbol in ide.RootElement.GetProperty("symbolInfo").EnumerateArray())
        {
            Assert.Contains(symbol.GetProperty("id").GetString()!, parameters);
        }
    }

    [Fact]
    public void Every_dotnet_new_dockervolume_line_in_the_readme_docs_and_scripts_uses_options_the_template_has()
    {
        using var cli = JsonDocument.Parse(File.ReadAllText(ConfigPath("dotnetcli.host.json")));
        var known = cli.RootElement.GetProperty("symbolInfo").EnumerateObject()
            .Select(s => "--" + s.Value.GetProperty("longName").GetString())
            .Concat(DotnetNewOptions)
            .ToHashSet(StringComparer.Ordinal);

        var files = new[] { RepositoryLayout.PathOf("README.md") }
            .Concat(Directory.GetFiles(RepositoryLayout.PathOf("docs"), "*.md"))
            .Concat(Directory.GetFiles(RepositoryLayout.PathOf("eng"), "*.sh"));
        var checkedLines = 0;
        var unknown = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].Contains("dotnet new dockervolume", StringComparison.Ordinal))
                {
                    continue;
                }

                // A shell command goes on while its line ends in a backslash (eng/demo.sh wraps its long one).
                var command = lines[i];
                while (command.TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
                {
                    command = command.TrimEnd()[..^1] + " " + lines[++i];
                }

                checkedLines++;
                foreach (Match option in LongOption().Matches(command))
                {
                    if (!known.Contains(option.Value))
                    {
                        unknown.Add($"{Path.GetRelativePath(RepositoryLayout.Root, file)}:{i + 1}: {option.Value}");
                    }
                }
            }
        }

        Assert.True(checkedLines >= 3, $"only {checkedLines} dotnet new dockervolume lines found");
        Assert.True(unknown.Count == 0, "options the template does not have:\n" + string.Join("\n", unknown));
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*(:[a-z-]+)?")]
    private static partial Regex LongOption();
}
