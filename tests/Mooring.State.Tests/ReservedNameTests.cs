namespace Mooring.State.Tests;

/// <summary>No volume may be called like the SDK's state folder, in any case (case-folding file systems).</summary>
public sealed class ReservedNameTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(".mooring")]
    [InlineData(".MOORING")]
    [InlineData(".Mooring")]
    public async Task The_state_folder_name_is_refused_in_any_case(string name)
    {
        Assert.False(VolumeName.IsValid(name));
        Assert.False(VolumeName.TryValidate(name, out var error));
        Assert.Equal($"invalid volume name '{name}': '.mooring' is reserved for the state the SDK keeps under the data root", error);
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord(name, DateTimeOffset.UnixEpoch)));
        Assert.Equal(error, ex.Message);
        StateFilesAssert.NothingWritten(store.Directory);
    }

    [Theory]
    [InlineData("mooring")]
    [InlineData(".mooring2")]
    [InlineData("..mooring")]
    [InlineData("x.mooring")]
    public void Names_that_only_resemble_it_are_valid(string name) => Assert.True(VolumeName.IsValid(name));
}
