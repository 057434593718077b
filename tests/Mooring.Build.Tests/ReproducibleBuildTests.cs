using System.Reflection;
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
    [Fact]
    public async Task The_packaged_SDK_compiles_a_plugin_to_the_same_bytes_in_two_folders_and_output_layouts()
    {
        // Different lengths, and ',' and '=', which the compiler's /pathmap only accepts doubled. The second one also
        // moves obj/ out of the project folder (artifacts output in a sibling folder): the map names the intermediate
        // folder /_/obj/ wherever it is, so the bytes must not change with the layout either.
        var near = fixture.Feed.CreateConsumerDirectory("r");
        var far = fixture.Feed.CreateConsumerDirectory("reproducible-in,a=much-longer-folder");
        foreach (var directory in new[] { near, far })
        {
            ReproducibleBuild.CopySample(directory, fixture.Feed.SdkReference);
        }

        await File.WriteAllTextAsync(Path.Combine(far, "Directory.Build.props"),
            $"<Project><PropertyGroup><UseArtifactsOutput>true</UseArtifactsOutput><ArtifactsPath>{far}-artifacts</ArtifactsPath></PropertyGroup></Project>\n");

        // Both at once: parallel builds share the NuGet cache and must not disturb each other's output.
        var builds = await Task.WhenAll(
            DotnetCli.RunAsync(near, ["build", "-c", "Release", "-v:n"]),
            DotnetCli.RunAsync(far, ["build", "-c", "Release", "-v:n"]));
        Assert.All(builds, b => Assert.True(b.Succeeded, b.Output));

        var rid = BuildMachine.RuntimeIdentifier;
        ReproducibleBuild.AssertSameAssembly(
            Path.Combine(near, "obj", "Release", "net10.0", rid, "LocalVolume.dll"),
            Path.Combine(far + "-artifacts", "obj", "LocalVolume", "release_" + rid, "LocalVolume.dll"));
    }
}

/// <summary>
/// The in-repo samples, which build the SDK and the runtime from source, are just as reproducible. One cold build in a
/// copy of the repository is compared with this checkout's own build, the one the test projects were built with (warm,
/// in another folder), so the test costs one build, not two.
/// </summary>
public sealed class DogfoodReproducibleBuildTests
{
    /// <summary>
    /// What samples/LocalVolume needs to build from source; bin/, obj/ and artifacts/ are left behind. .gitignore is an
    /// input too: SourceLink embeds the sources git ignores (the build's generated files) into the PDB.
    /// </summary>
    private static readonly string[] CloneParts =
        [".gitignore", ".editorconfig", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config",
         "sdk", "generators", Path.Combine("samples", "LocalVolume")];

    [Fact]
    public async Task The_in_repo_sample_and_the_runtime_compile_to_the_same_bytes_in_a_copy_of_the_repository()
    {
        // The checkout's build of the same configuration as this test assembly: eng/test.sh builds Sdk.sln, which
        // holds the sample, before it runs any test.
        var configuration = typeof(DogfoodReproducibleBuildTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var rid = BuildMachine.RuntimeIdentifier;
        var sample = Path.Combine("obj", "LocalVolume", configuration.ToLowerInvariant() + "_" + rid, "LocalVolume.dll");
        var runtime = Path.Combine("obj", "Mooring", configuration.ToLowerInvariant(), "Mooring.dll");
        foreach (var built in new[] { sample, runtime })
        {
            Assert.True(File.Exists(RepositoryLayout.ArtifactsPathOf(built)), $"{RepositoryLayout.ArtifactsPathOf(built)} is missing: build Sdk.sln -c {configuration} first");
        }

        using var copy = new TempDirectory("mooring-reproducible-clone-with-a-longer-path-");
        await CloneCommitAsync(copy.Path);
        foreach (var part in CloneParts)
        {
            ReproducibleBuild.Copy(RepositoryLayout.PathOf(part), Path.Combine(copy.Path, part));
        }

        var build = await DotnetCli.RunAsync(copy.Path, ["build", "samples/LocalVolume/LocalVolume.csproj", "-c", configuration, "-v:n", "-p:ArtifactsPath=" + Path.Combine(copy.Path, "artifacts")], timeout: TimeSpan.FromMinutes(15));
        Assert.True(build.Succeeded, build.Output);

        // The sample's obj/ is in artifacts/, outside its project folder. Mooring.dll is built from sdk/Mooring, which does
        // not import the SDK: Directory.Build.props maps it. It has one [LoggerMessage] class (LogMessageTests), so the
        // .NET 10 generator has no class order to vary (dotnet/runtime#119587).
        ReproducibleBuild.AssertSameAssembly(RepositoryLayout.ArtifactsPathOf(sample), Path.Combine(copy.Path, "artifacts", sample));
        ReproducibleBuild.AssertSameAssembly(RepositoryLayout.ArtifactsPathOf(runtime), Path.Combine(copy.Path, "artifacts", runtime));
    }

    /// <summary>
    /// Makes <paramref name="directory"/> the same commit as this checkout, with the same remote, before the files are
    /// copied over it. SourceLink writes the commit into the informational version and embeds the files git ignores or
    /// does not hold (the build's generated sources) into the PDB, so a copy without the repository would differ for
    /// that reason alone. The index is the commit's, as in a fresh clone, and the files are the checkout's.
    /// </summary>
    private static async Task CloneCommitAsync(string directory)
    {
        if (!Path.Exists(RepositoryLayout.PathOf(".git")))
        {
            return;
        }

        (await ProcessRunner.RunAsync("git", ["clone", "--quiet", "--shared", "--no-checkout", RepositoryLayout.Root, directory])).EnsureSuccess();
        var origin = await ProcessRunner.RunAsync("git", ["-C", RepositoryLayout.Root, "remote", "get-url", "origin"]);
        (await ProcessRunner.RunAsync("git", origin.Succeeded
            ? ["-C", directory, "remote", "set-url", "origin", origin.StandardOutput.Trim()]
            : ["-C", directory, "remote", "remove", "origin"])).EnsureSuccess();
        (await ProcessRunner.RunAsync("git", ["-C", directory, "reset", "--quiet"])).EnsureSuccess();
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
        var firstPdb = Path.ChangeExtension(first, ".pdb");
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
