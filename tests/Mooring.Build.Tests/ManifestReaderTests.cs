using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mooring.Build.Manifest;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

public sealed class ManifestReaderTests
{
    internal const string AttributeSource = """
        namespace Mooring
        {
            [System.AttributeUsage(System.AttributeTargets.Assembly)]
            public sealed class PluginManifestAttribute : System.Attribute
            {
                public PluginManifestAttribute(string json) => Json = json;
                public string Json { get; }
            }
        }
        """;

    [Fact]
    public void Reads_the_manifest_when_the_attribute_is_referenced_from_another_assembly()
    {
        using var temp = new TempDirectory();
        var attributeAssembly = Compile(temp, "Mooring", AttributeSource);
        var plugin = Compile(temp, "Plugin", """[assembly: Mooring.PluginManifest("{\"description\":\"d \u00e9\"}")]""", attributeAssembly);

        Assert.Equal("{\"description\":\"d \u00e9\"}", PluginManifestReader.Read(plugin));
    }

    [Fact]
    public void Reads_the_manifest_when_the_attribute_is_defined_in_the_same_assembly()
    {
        using var temp = new TempDirectory();
        var plugin = Compile(temp, "Plugin", "[assembly: Mooring.PluginManifest(\"{}\")]\n" + AttributeSource);

        Assert.Equal("{}", PluginManifestReader.Read(plugin));
    }

    [Fact]
    public void Returns_null_when_there_is_no_manifest_even_with_a_look_alike_attribute()
    {
        using var temp = new TempDirectory();
        var plugin = Compile(temp, "Plugin", "[assembly: Other.PluginManifest(\"{}\")]\n"
            + AttributeSource.Replace("namespace Mooring", "namespace Other", StringComparison.Ordinal));

        Assert.Null(PluginManifestReader.Read(plugin));
    }

    [Fact]
    public void Rejects_a_native_file()
    {
        Assert.Throws<BadImageFormatException>(() => PluginManifestReader.Read(Environment.ProcessPath!));
    }

    internal static string Compile(TempDirectory temp, string name, string source, string? reference = null)
    {
        var references = Net100.References.All.ToList();
        if (reference is not null)
        {
            references.Add(MetadataReference.CreateFromFile(reference));
        }

        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = temp.Combine(name + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }
}
