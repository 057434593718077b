using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// Both samples as they ship: NativeAOT binaries from the run's shared publish (see <see cref="PublishedSamples"/>; one
/// of this test process's own when the tests run alone). Every test starts them as real processes over data roots of
/// its own, so sharing the binaries shares nothing else.
/// </summary>
public sealed class BuiltSamples : IAsyncLifetime
{
    public string LocalVolume { get; private set; } = "";

    public string TmpfsVolume { get; private set; } = "";

    public async Task InitializeAsync()
    {
        LocalVolume = (await PublishedSamples.GetAsync("LocalVolume")).Binary;
        TmpfsVolume = (await PublishedSamples.GetAsync("TmpfsVolume")).Binary;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class BuiltSamplesCollection : ICollectionFixture<BuiltSamples>
{
    public const string Name = "samples built once";
}
