namespace Mooring.TestFixtures;

/// <summary>
/// Packing this repository's projects into a private feed for a test run, and cleaning up after it: shared by every
/// fixture that consumes Mooring as a user would (through packages, not project references).
/// </summary>
public static class LocalPackages
{
    /// <summary>The variable eng/test.sh sets to the folder eng/pack.sh packed the run's packages into.</summary>
    public const string RunPackagesVariable = "MOORING_TEST_PACKAGES";

    /// <summary>
    /// The packages eng/test.sh packed once for the whole run (all four, one version), or null when the tests run
    /// without it and each fixture packs its own. Sharing them saves a full rebuild of the SDK per fixture (a new
    /// version suffix recompiles every project).
    /// </summary>
    public static (string Directory, string Version)? RunPackages()
    {
        if (Environment.GetEnvironmentVariable(RunPackagesVariable) is not { Length: > 0 } directory)
        {
            return null;
        }

        const string Prefix = "Mooring.Sdk.";
        var sdk = Directory.Exists(directory) ? Directory.GetFiles(directory, Prefix + "*.nupkg") : [];
        return sdk.Length == 1
            ? (directory, Path.GetFileNameWithoutExtension(sdk[0])[Prefix.Length..])
            : throw new InvalidOperationException($"{RunPackagesVariable} is '{directory}', which should hold exactly one {Prefix}<version>.nupkg but holds {sdk.Length}.");
    }

    /// <summary>Packs <paramref name="projects"/> (paths under the repository) in Release with a version suffix.</summary>
    public static async Task PackAsync(IEnumerable<string> projects, string feedDirectory, string versionSuffix, CancellationToken cancellationToken = default)
    {
        // Packing builds inside the repository: keep the caller's ArtifactsPath (each builder has its own).
        var environment = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("ArtifactsPath") is { Length: > 0 } artifacts)
        {
            environment["ArtifactsPath"] = artifacts;
        }

        // Test projects run in parallel and would pack the same projects into the same artifacts folder at once.
        await using var packLock = await AcquirePackLockAsync(cancellationToken);
        foreach (var project in projects)
        {
            (await DotnetCli.RunAsync(RepositoryLayout.Root,
                ["pack", project, "-c", "Release", "-o", feedDirectory, "-p:VersionSuffix=" + versionSuffix],
                environment, TimeSpan.FromMinutes(15), cancellationToken)).EnsureSuccess();
        }
    }

    /// <summary>Writes a nuget.config that lists only <paramref name="feedDirectory"/> and nuget.org.</summary>
    public static void WriteNuGetConfig(string directory, string feedDirectory, string feedName) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="{feedName}" value="{feedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);

    /// <summary>Removes this run's version of the packages from the NuGet cache, where they would only pile up.</summary>
    public static void RemoveFromNuGetCache(IEnumerable<string> packageIds, string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in packageIds)
        {
            TryDeleteDirectory(Path.Combine(packages, id.ToLowerInvariant(), version));
        }
    }

    /// <summary>Deletes a folder tree if it exists; clean-up never fails a test.</summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<FileStream> AcquirePackLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "mooring-sdk-pack.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
