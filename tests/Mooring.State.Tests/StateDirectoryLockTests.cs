namespace Mooring.State.Tests;

/// <summary>
/// A second process on the same data root is refused before it reads, replays or empties anything the first one
/// writes; the lock goes with the process, so a plugin killed with SIGKILL does not lock its successor out.
/// </summary>
public sealed class StateDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_second_process_is_refused_by_name_and_the_first_ones_death_lets_the_next_one_in()
    {
        using (var writer = await CrashWriterProcess.StartAsync(_dir.Path))
        {
            try
            {
                var records = await Assert.ThrowsAsync<IOException>(() => VolumeStateStore.OpenAsync(_dir.Path));
                var counts = await Assert.ThrowsAsync<IOException>(() => MountLedger.OpenAsync(_dir.Path));

                Assert.StartsWith($"the state directory '{_dir.Combine(".mooring", "volumes")}' is in use by another process: another instance of this plugin", records.Message, StringComparison.Ordinal);
                Assert.StartsWith($"the state directory '{_dir.Combine(".mooring", "mounts")}' is in use by another process", counts.Message, StringComparison.Ordinal);
                Assert.False(writer.HasExited, "the refused open disturbed the writer");
            }
            finally
            {
                writer.Kill(); // SIGKILL: the kernel releases the lock with the process
                await writer.WaitForExitAsync();
            }
        }

        await using var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await using var ledger = await MountLedger.OpenAsync(_dir.Path);
        Assert.True(store.TryGet("alpha", out _));
    }

    [Fact]
    public async Task A_directory_is_free_again_once_its_store_is_disposed()
    {
        await (await VolumeStateStore.OpenAsync(_dir.Path)).DisposeAsync();
        await (await MountLedger.OpenAsync(_dir.Path)).DisposeAsync();

        using var writer = await CrashWriterProcess.StartAsync(_dir.Path); // fails unless the writer gets the directories
        writer.Kill();
        await writer.WaitForExitAsync();
    }
}
