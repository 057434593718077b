using Mooring.Hosting.Metadata;

namespace Mooring.Tests;

/// <summary>The Status of a managed volume (sdk/Mooring/Hosting/Metadata/ManagedVolumeStatus.cs): the driver's facts
/// plus the mounts count, which wins over a fact of the same name, read without copying the facts.</summary>
public sealed class ManagedVolumeStatusTests
{
    [Fact]
    public void The_facts_come_first_in_their_order_and_the_mounts_count_last()
    {
        var status = new ManagedVolumeStatus(new Dictionary<string, string> { ["size"] = "1g", ["mode"] = "0750" }, 2);
        Assert.Equal([new("size", "1g"), new("mode", "0750"), new("mounts", "2")], status.ToArray());
        Assert.Equal(3, status.Count);
        Assert.Equal(["size", "mode", "mounts"], status.Keys);
        Assert.Equal("0750", status["mode"]);
        Assert.False(status.ContainsKey("uid"));
        Assert.Throws<KeyNotFoundException>(() => status["uid"]);
    }

    [Fact]
    public void A_fact_named_mounts_is_replaced_by_the_count()
    {
        var status = new ManagedVolumeStatus(new Dictionary<string, string> { ["mounts"] = "many", ["size"] = "1g" }, 0);
        Assert.Equal([new("size", "1g"), new("mounts", "0")], status.ToArray());
        Assert.Equal(2, status.Count);
        Assert.Equal("0", status["mounts"]);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(15, "15")]
    [InlineData(16, "16")]
    [InlineData(123456, "123456")]
    public void Without_facts_only_the_count_is_shown(int mounts, string shown)
    {
        var status = new ManagedVolumeStatus(null, mounts);
        Assert.Equal(new KeyValuePair<string, string>("mounts", shown), Assert.Single(status));
    }
}
