using System.Text.Json;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>The template's configuration as IDEs read it: every symbol has a display name, and ide.host.json only
/// names symbols that exist.</summary>
public sealed class TemplateConfigTests
{
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
}
