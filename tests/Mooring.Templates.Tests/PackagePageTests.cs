using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mooring.Templates.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>
/// What nuget.org shows and what a debugger fetches, read from the four packages this run packed (the fixture packs
/// all four): each has its README and icon, named in the nuspec, and a repository element; the two library packages
/// have a symbols package; Mooring carries the code fixes next to the generator. The README tables are the docs' own.
/// </summary>
[Collection(TemplatesCollection.Name)]
public sealed partial class PackagePageTests(TemplatesFixture fixture)
{
    public static TheoryData<string> Packages => new(["Mooring", "Mooring.Sdk", "Mooring.Testing", "Mooring.Templates"]);

    public static TheoryData<string> Libraries => new(["Mooring", "Mooring.Testing"]);

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_package_page_has_a_readme_an_icon_a_license_and_the_repository(string id)
    {
        using var package = Open(id, "nupkg");
        var metadata = Nuspec(package, id);

        Assert.Equal("README.md", Element(metadata, "readme")?.Value);
        Assert.Equal("icon.png", Element(metadata, "icon")?.Value);
        Assert.Equal("MIT", Element(metadata, "license")?.Value);
        var readme = ReadText(package, "README.md");
        Assert.StartsWith("# " + id + "\n", readme.ReplaceLineEndings("\n"));
        Assert.Equal(File.ReadAllText(SourceReadme(id)), readme);
        Assert.Equal(File.ReadAllBytes(RepositoryLayout.PathOf("eng", "packaging", "icon.png")), ReadBytes(package, "icon.png"));

        // PublishRepositoryUrl: the type and the commit always; the URL when the release sets MooringRepositoryUrl or
        // the checkout has a remote (this one may have neither).
        var repository = Element(metadata, "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_package_has_a_symbols_package_with_its_pdb(string id)
    {
        using var symbols = Open(id, "snupkg");

        Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
    }

    [Fact]
    public void The_Mooring_package_carries_the_code_fixes_next_to_the_generator()
    {
        using var package = Open("Mooring", "nupkg");
        var analyzers = package.Entries.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal)).Select(e => e.FullName).Order();

        Assert.Equal(["analyzers/dotnet/cs/Mooring.CodeFixes.dll", "analyzers/dotnet/cs/Mooring.Generators.dll"], analyzers);
    }

    [Fact]
    public void The_Mooring_Sdk_readme_lists_the_properties_of_docs_msbuild_md()
    {
        using var package = Open("Mooring.Sdk", "nupkg");

        var expected = Table(File.ReadAllText(RepositoryLayout.PathOf("docs", "msbuild.md")), "| property | default | meaning |");
        Assert.True(expected.Count > 20, "docs/msbuild.md has no property table");
        Assert.Equal(expected, Table(ReadText(package, "README.md"), "| property | default | meaning |"));
    }

    [Fact]
    public void The_Mooring_Templates_readme_lists_the_options_of_docs_templates_md()
    {
        using var package = Open("Mooring.Templates", "nupkg");

        var expected = Table(File.ReadAllText(RepositoryLayout.PathOf("docs", "templates.md")), "| option | symbol | default | written to |");
        Assert.True(expected.Count > 5, "docs/templates.md has no parameter table");
        Assert.Equal(expected, Table(ReadText(package, "README.md"), "| option | symbol | default | written to |"));
    }

    private ZipArchive Open(string id, string extension)
    {
        var path = Path.Combine(fixture.Feed.FeedDirectory, $"{id}.{fixture.Feed.Version}.{extension}");
        Assert.True(File.Exists(path), $"{path} was not packed");
        return ZipFile.OpenRead(path);
    }

    private static string SourceReadme(string id) => id == "Mooring.Templates"
        ? RepositoryLayout.PathOf("templates", id, "README.md")
        : RepositoryLayout.PathOf("sdk", id, "README.md");

    private static XElement Nuspec(ZipArchive package, string id)
    {
        var document = XDocument.Parse(ReadText(package, id + ".nuspec"));
        return document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement? Element(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

    private static string ReadText(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"no {entry} in the package"));
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(ZipArchive package, string entry)
    {
        using var stream = package.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"no {entry} in the package");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// The rows of the markdown table that starts with <paramref name="header"/>, with links reduced to their text:
    /// a package page has no repository to resolve docs' relative links against.
    /// </summary>
    private static List<string> Table(string markdown, string header)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"no table '{header}'");
        return lines.Skip(start).TakeWhile(l => l.StartsWith('|')).Select(l => MarkdownLink().Replace(l, "$1")).ToList();
    }

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();
}
