using System.Reflection;

namespace Mooring.Templates.Tests.Infrastructure;

/// <summary>Reads a generated project tree: its file list (for golden lists) and its text.</summary>
public static class GeneratedTree
{
    /// <summary>The placeholders of the template content: none may survive instantiation.</summary>
    public static readonly string[] Placeholders =
    [
        "MyVolumePlugin", "MooringTemplateProject", "TemplateClass", "TemplateNamespace", "template-plugin-name",
        "template-socket-name", "/template-propagated-mount", "template-registry", "template-repository-name",
        "MOORING_SDK_VERSION", "MOORING_TEMPLATE_SDK_VERSION", "#if", "#endif",
    ];

    /// <summary>Relative paths of every file, sorted, '/'-separated, bin/ and obj/ skipped.</summary>
    public static IReadOnlyList<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Read(string root, string relativePath) => File.ReadAllText(Path.Combine(root, relativePath));

    /// <summary>Compares <paramref name="actual"/> with Baselines/<paramref name="name"/>, or rewrites the baseline when
    /// MOORING_UPDATE_BASELINES=1.</summary>
    public static void AssertMatchesBaseline(string name, IReadOnlyList<string> actual)
    {
        var directory = typeof(GeneratedTree).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BaselinesDirectory").Value!;
        var path = Path.Combine(directory, name);
        var text = string.Join('\n', actual) + "\n";
        if (Environment.GetEnvironmentVariable("MOORING_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, text);
            return;
        }

        Assert.True(File.Exists(path), $"No baseline {path}; run with MOORING_UPDATE_BASELINES=1 to write it. Actual:\n{text}");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), text);
    }
}
