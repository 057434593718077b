using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// Issue 11's size target for a plugin built with the SDK's defaults: a binary of at most 4.5 MB. State-backed plugins
/// are the largest kind (every managed-state feature is in them); in session 18 LocalVolume was 27 KB under it and
/// TmpfsVolume 18 KB (docs/benchmarks.md). Crossing it is a decision to take knowingly, not by a dependency:
/// docs/footprint.md has what each part costs and how to look.
/// </summary>
public sealed class StateBackedSampleSizeTests
{
    private const long Target = 4_500_000;

    [Theory]
    [InlineData("LocalVolume")]
    [InlineData("TmpfsVolume")]
    public async Task The_binary_stays_within_the_SDKs_size_target(string name)
    {
        var sample = await PublishedSamples.GetAsync(name);
        var size = new FileInfo(sample.Binary).Length;
        Assert.True(size <= Target, $"samples/{name}'s binary is {size:N0} bytes, {size - Target:N0} over the {Target:N0} of issue 11's target");
    }
}
