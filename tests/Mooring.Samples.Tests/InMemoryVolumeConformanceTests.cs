using Mooring.Samples.InMemoryVolume;
using Mooring.Testing;

namespace Mooring.Samples.Tests;

/// <summary>
/// samples/InMemoryVolume against the conformance kit, the way a user who copies it would test it: every check passes
/// except <c>list-after-restart</c>, which must fail because the sample keeps its records in memory only (its README
/// says so).
/// </summary>
public sealed class InMemoryVolumeConformanceTests
{
    public static TheoryData<string> DurableChecks =>
        new(VolumeDriverConformance.Checks.Where(check => check != VolumeDriverConformance.ListAfterRestart));

    [Theory]
    [MemberData(nameof(DurableChecks))]
    public Task Behaves_as_dockerd_expects(string check) => VolumeDriverConformance.RunAsync<InMemoryVolumeDriver>(check);

    [Fact]
    public async Task Forgets_its_volumes_on_restart_as_documented()
    {
        var failure = await Assert.ThrowsAsync<ConformanceException>(() =>
            VolumeDriverConformance.RunAsync<InMemoryVolumeDriver>(VolumeDriverConformance.ListAfterRestart));

        Assert.Contains("`docker volume ls` would no longer show 'conformance-kept'", failure.Message);
    }

    [Fact]
    public async Task Remove_deletes_the_directory_and_a_later_Mount_neither_succeeds_nor_recreates_it()
    {
        await using var plugin = await PluginHarness<InMemoryVolumeDriver>.StartAsync();
        var client = plugin.Client;
        Assert.True((await client.CreateAsync("v")).IsSuccess);
        var mount = await client.MountAsync("v", "id1");
        Assert.True(mount.IsSuccess, mount.ToString());
        await File.WriteAllTextAsync(Path.Combine(mount.Value!, "f"), "data");
        Assert.True((await client.UnmountAsync("v", "id1")).IsSuccess);

        Assert.True((await client.RemoveAsync("v")).IsSuccess);

        Assert.False(Directory.Exists(mount.Value));
        Assert.False((await client.MountAsync("v", "id2")).IsSuccess);
        Assert.False(Directory.Exists(mount.Value), "a refused Mount must not recreate the directory");
        Assert.Empty((await client.ListAsync()).Value!);
    }

    [Fact]
    public async Task Options_are_refused_with_a_message_naming_the_volume()
    {
        await using var plugin = await PluginHarness<InMemoryVolumeDriver>.StartAsync();
        var create = await plugin.Client.CreateAsync("v", new Dictionary<string, string> { ["size"] = "1g" });
        Assert.False(create.IsSuccess);
        Assert.Contains("'v'", create.Err);
        Assert.Contains("size", create.Err);
        Assert.False((await plugin.Client.GetAsync("v")).IsSuccess);
    }
}
