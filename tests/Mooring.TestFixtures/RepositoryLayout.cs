using System.Reflection;

namespace Mooring.TestFixtures;

/// <summary>Where things are in the Mooring repository (the root is stamped into this assembly at build time).</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding sdk/Mooring.Sdk).</summary>
    public static string Root => RootLazy.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The build folder (ArtifactsPath) this checkout's projects, the tests included, were built into.</summary>
    public static string Artifacts { get; } = Path.GetFullPath(Stamped("MooringArtifactsPath") ?? PathOf("artifacts"));

    /// <summary>A path under <see cref="Artifacts"/>.</summary>
    public static string ArtifactsPathOf(params string[] parts) => Path.Combine([Artifacts, .. parts]);

    private static string FindRoot()
    {
        var stamped = Stamped("MooringRepoRoot");
        if (stamped is not null && File.Exists(Path.Combine(stamped, "sdk", "Mooring.Sdk", "Mooring.Sdk.csproj")))
        {
            return Path.GetFullPath(stamped);
        }

        throw new InvalidOperationException($"Could not find the Mooring repository root (stamped: '{stamped}').");
    }

    /// <summary>A value the build stamped into this assembly (Mooring.TestFixtures.csproj), or null.</summary>
    private static string? Stamped(string key) =>
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
