using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>
/// samples/LocalVolume is the template's driver, generated from it by the template's own substitutions: so every test
/// of the sample — the SIGKILL fuzz, the hostile-input and state-safety suites, the dockerd scenarios, the upgrade
/// test — runs on exactly the code a user gets from <c>dotnet new dockervolume</c>. Run with
/// <c>MOORING_UPDATE_SAMPLES=1</c> to regenerate the sample after changing the template.
/// </summary>
public sealed class LocalVolumeIsTheTemplateTests
{
    // The template's placeholders (template.json) and the values the sample uses for them.
    private static readonly (string Placeholder, string Value)[] Substitutions =
    [
        ("TemplateNamespace", "Mooring.Samples.LocalVolume"),
        ("TemplateClassDriver", "LocalVolumeDriver"),
        ("TemplateClassOptions", "LocalVolumeOptions"),
        ("template-socket-name.sock", "localvolume.sock"),
        ("template-plugin-name", "localvolume"),
        ("/template-propagated-mount", "/data"),
    ];

    public static TheoryData<string, string> Files() => new()
    {
        { "TemplateClassDriver.cs", "LocalVolumeDriver.cs" },
        { "TemplateClassOptions.cs", "LocalVolumeOptions.cs" },
        { "Program.cs", "Program.cs" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void The_sample_file_is_the_template_file_with_the_sample_names(string templateFile, string sampleFile)
    {
        var template = File.ReadAllText(RepositoryLayout.PathOf("templates", "Mooring.Templates", "content", "dockervolume", "src", "MyVolumePlugin", templateFile));
        var expected = Substitutions.Aggregate(template, (text, s) => text.Replace(s.Placeholder, s.Value, StringComparison.Ordinal));
        var samplePath = RepositoryLayout.PathOf("samples", "LocalVolume", sampleFile);
        if (Environment.GetEnvironmentVariable("MOORING_UPDATE_SAMPLES") == "1")
        {
            File.WriteAllText(samplePath, expected);
        }

        Assert.True(
            expected == File.ReadAllText(samplePath),
            $"samples/LocalVolume/{sampleFile} is not the template's {templateFile} with the sample's names; the sample must be the code users copy. "
            + "Change the template and run the tests with MOORING_UPDATE_SAMPLES=1.");
    }

    [Fact]
    public void The_sample_has_no_cs_file_the_template_lacks()
    {
        var sample = Directory.GetFiles(RepositoryLayout.PathOf("samples", "LocalVolume"), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Files().Select(row => (string)row[1]).Order(StringComparer.Ordinal), sample);
    }

    [Fact]
    public void The_template_driver_is_at_most_60_code_lines()
    {
        // Blank lines, comments and lone braces do not count (the measure).
        var directory = RepositoryLayout.PathOf("templates", "Mooring.Templates", "content", "dockervolume", "src", "MyVolumePlugin");
        var lines = Directory.GetFiles(directory, "*.cs")
            .SelectMany(File.ReadAllLines)
            .Select(line => line.Trim())
            .Count(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal) && line is not ("{" or "}" or "};"));
        Assert.True(lines <= 60, $"the template's driver has {lines} code lines");
    }
}
