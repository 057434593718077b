using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// Both samples built once per run (Release, framework-dependent apphost: many restarts cost less than a NativeAOT
/// publish) in a build folder of their own, so they never race the solution build. Each run is a real process.
/// </summary>
public sealed class BuiltSamples : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mooring-rel-" + Guid.NewGuid().ToString("N")[..8]);

    public string LocalVolume => Path.Combine(_root, "LocalVolume", "LocalVolume");

    public string TmpfsVolume => Path.Combine(_root, "TmpfsVolume", "TmpfsVolume");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);

        // One after the other: the two builds share the SDK projects and would race on their outputs.
        foreach (var sample in new[] { "LocalVolume", "TmpfsVolume" })
        {
            var project = RepositoryLayout.PathOf("samples", sample, sample + ".csproj");
            var result = await DotnetCli.RunAsync(_root,
                ["build", project, "-c", "Release", "-o", Path.Combine(_root, sample), "-p:ArtifactsPath=" + Path.Combine(_root, "artifacts"), "-v:q"],
                timeout: TimeSpan.FromMinutes(10));
            result.EnsureSuccess();
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class BuiltSamplesCollection : ICollectionFixture<BuiltSamples>
{
    public const string Name = "samples built once";
}
