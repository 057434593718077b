using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// Reproducible builds (docs/msbuild.md): the compiled plugin assembly must not depend on the folder it was built in.
/// NativeAOT copies each assembly's MVID into the binary's .rodata and the PDB's source paths into its DWARF (and so
/// into the build-id and the .gnu_debuglink CRC), so identical assemblies and PDBs are what identical binaries need.
/// This is the cheap check, compile only. tests/Mooring.Push.Tests checks the NativeAOT binary and the layer digest.
/// </summary>
[Collection(PackagedSdkCollection.Name)]
public sealed class ReproducibleBuildTests(PackagedSdkFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_packaged_SDK_compiles_a_plugin_to_the_same_bytes_in_two_folders(bool artifactsOutput)
    {
        // Different lengths, and ',' and '=', which the compiler's /pathmap only accepts doubled.
        var near = fixture.Feed.CreateConsumerDirectory("r");
        var far = fixture.Feed.CreateConsumerDirectory("reproducible-in,a=much-longer-folder");
        foreach (var directory in new[] { near, far })
        {
            ReproducibleBuild.CopySample(directory, fixture.Feed.SdkReference);
            if (artifactsOutput)
            {
                // obj/ outside the project folder: artifacts output in a sibling folder.
                await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.props"),
                    $"<Project><PropertyGroup><UseArtifactsOutput>true</UseArtifactsOutput><ArtifactsPath>{directory}-artifacts</ArtifactsPath></PropertyGroup></Project>\n");
            }
        }

        // Both at once: parallel builds share the NuGet cache and must not disturb each other's output.
        var builds = await Task.WhenAll(
            DotnetCli.RunAsync(near, ["build", "-c", "Release", "-v:n"]),
            DotnetCli.RunAsync(far, ["build", "-c", "Release", "-v:n"]));
        Assert.All(builds, b => Assert.True(b.Succeeded, b.Output));

        string Intermediate(string project) => artifactsOutput
            ? Path.Combine(project + "-artifacts", "obj", "LocalVolume", "release_linux-x64")
            : Path.Combine(project, "obj", "Release", "net10.0", "linux-x64");
        ReproducibleBuild.AssertSameAssembly(Path.Combine(Intermediate(near), "LocalVolume.dll"), Path.Combine(Intermediate(far), "LocalVolume.dll"));
    }
}

/// <summary>The in-repo samples, which build the SDK and the runtime from source, are just as reproducible.</summary>
public sealed class DogfoodReproducibleBuildTests
{
    /// <summary>What samples/LocalVolume needs to build from source; bin/, obj/ and artifacts/ are left behind.</summary>
    private static readonly string[] CloneParts =
        [".editorconfig", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config",
         "sdk", "generators", Path.Combine("samples", "LocalVolume")];

    [Fact]
    public async Task The_in_repo_sample_and_the_runtime_compile_to_the_same_bytes_from_two_clones()
    {
        using var near = new TempDirectory("r-");
        using var far = new TempDirectory("mooring-reproducible-clone-with-a-longer-path-");
        foreach (var clone in new[] { near.Path, far.Path })
        {
            foreach (var part in CloneParts)
            {
                ReproducibleBuild.Copy(RepositoryLayout.PathOf(part), Path.Combine(clone, part));
            }
        }

        var builds = await Task.WhenAll(
            DotnetCli.RunAsync(near.Path, ["build", "samples/LocalVolume/LocalVolume.csproj", "-c", "Release", "-v:n"], timeout: TimeSpan.FromMinutes(15)),
            DotnetCli.RunAsync(far.Path, ["build", "samples/LocalVolume/LocalVolume.csproj", "-c", "Release", "-v:n"], timeout: TimeSpan.FromMinutes(15)));
        Assert.All(builds, b => Assert.True(b.Succeeded, b.Output));

        // The sample's obj/ is in artifacts/, outside its project folder.
        string sample = Path.Combine("artifacts", "obj", "LocalVolume", "release_linux-x64", "LocalVolume.dll");
        ReproducibleBuild.AssertSameAssembly(Path.Combine(near.Path, sample), Path.Combine(far.Path, sample));

        // Mooring.dll is built from sdk/Mooring, which does not import the SDK: Directory.Build.props maps it. Its bytes are
        // not compared: the .NET 10 [LoggerMessage] generator writes its classes in a different order from run to run
        // (dotnet/runtime#119587), in any folder. docs/msbuild.md, "Reproducible builds", says what that leaves open.
        string runtime = Path.Combine("artifacts", "obj", "Mooring", "release", "Mooring.dll");
        Assert.Empty(ReproducibleBuild.UnmappedDocuments(Path.Combine(near.Path, runtime)));
        Assert.Empty(ReproducibleBuild.UnmappedDocuments(Path.Combine(far.Path, runtime)));
    }
}

/// <summary>Shared by the two reproducibility tests.</summary>
internal static class ReproducibleBuild
{
    /// <summary>The LocalVolume sample's sources (it uses the source generator, whose output paths must be mapped too).</summary>
    public static void CopySample(string directory, string sdkReference)
    {
        foreach (var source in Directory.GetFiles(RepositoryLayout.PathOf("samples", "LocalVolume"), "*.cs"))
        {
            File.Copy(source, Path.Combine(directory, Path.GetFileName(source)), overwrite: true);
        }

        File.WriteAllText(Path.Combine(directory, "LocalVolume.csproj"), $"""
            <Project Sdk="{sdkReference}">
              <PropertyGroup>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
              </PropertyGroup>
            </Project>
            """);
    }

    /// <summary>Copies a file, or a folder without its build output.</summary>
    public static void Copy(string source, string destination)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            return;
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.GetDirectories(source))
        {
            if (Path.GetFileName(folder) is not ("bin" or "obj" or "artifacts"))
            {
                Copy(folder, Path.Combine(destination, Path.GetFileName(folder)));
            }
        }
    }

    /// <summary>
    /// The two assemblies (and their PDBs) are byte-identical, and the PDB names every document by its mapped path: a
    /// folder path left in would differ between two builds in other folders even when these two happen to agree.
    /// </summary>
    public static void AssertSameAssembly(string first, string second)
    {
        Assert.Equal(Mvid(first), Mvid(second));
        Assert.Equal(UnmappedDocuments(first), UnmappedDocuments(second));
        Assert.Empty(UnmappedDocuments(first));
        Assert.True(File.ReadAllBytes(first).AsSpan().SequenceEqual(File.ReadAllBytes(second)), $"{first} and {second} differ");
        string firstPdb = Path.ChangeExtension(first, ".pdb");
        Assert.True(File.ReadAllBytes(firstPdb).AsSpan().SequenceEqual(File.ReadAllBytes(Path.ChangeExtension(second, ".pdb"))), $"{firstPdb} differs");
    }

    private static Guid Mvid(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    /// <summary>The PDB's document names that are not under the mapped root /_/.</summary>
    public static List<string> UnmappedDocuments(string assembly)
    {
        using var stream = File.OpenRead(Path.ChangeExtension(assembly, ".pdb"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var pdb = provider.GetMetadataReader();
        return pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).Where(n => !n.StartsWith("/_/", StringComparison.Ordinal)).ToList();
    }
}
