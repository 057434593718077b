using Mooring.State;

namespace Mooring.Reliability.Tests;

/// <summary>
/// What a plugin's start and clean stop do to its state: the changes its state logs hold are written into the record
/// and mount-count files, and the logs emptied. Tests that edit a file by hand after a kill call this first, so the
/// edit is what the next start sees instead of a change the log would replay over it.
/// </summary>
internal static class StateFiles
{
    public static async Task SettleAsync(string dataRoot)
    {
        await (await VolumeStateStore.OpenAsync(dataRoot)).DisposeAsync();
        await (await MountLedger.OpenAsync(dataRoot)).DisposeAsync();
    }
}
