using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// samples/LocalVolume published with NativeAOT once per test run, in a build folder of its own so it never races the
/// solution build.
/// </summary>
public sealed class PublishedSample : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mooring-sample-" + Guid.NewGuid().ToString("N")[..8]);

    public string PublishDirectory => Path.Combine(_root, "publish");

    public string Binary => Path.Combine(PublishDirectory, "LocalVolume");

    public ProcessResult Publish { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var project = RepositoryLayout.PathOf("samples", "LocalVolume", "LocalVolume.csproj");
        Publish = await DotnetCli.RunAsync(_root,
            ["publish", project, "-c", "Release", "-o", PublishDirectory, "-p:ArtifactsPath=" + Path.Combine(_root, "artifacts"), "-v:n"],
            timeout: TimeSpan.FromMinutes(15));
        Publish.EnsureSuccess();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedSampleCollection : ICollectionFixture<PublishedSample>
{
    public const string Name = "LocalVolume published with NativeAOT";
}
