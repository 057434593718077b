using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// samples/LocalVolume published with NativeAOT: the run's shared publish (see <see cref="PublishedSamples"/>), or one of
/// this test process's own when the tests run alone.
/// </summary>
public sealed class PublishedSample : IAsyncLifetime
{
    private SamplePublish _publish = null!;

    public string PublishDirectory => _publish.PublishDirectory;

    public string Binary => _publish.Binary;

    /// <summary>Everything the publish wrote, at normal verbosity.</summary>
    public string PublishLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _publish = await PublishedSamples.GetAsync("LocalVolume");
        PublishLog = _publish.PublishLog;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PublishedSampleCollection : ICollectionFixture<PublishedSample>
{
    public const string Name = "LocalVolume published with NativeAOT";
}
