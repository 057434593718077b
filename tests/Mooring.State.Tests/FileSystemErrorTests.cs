namespace Mooring.State.Tests;

/// <summary>
/// A full or read-only data root (a real 2 MiB tmpfs) reaches the user as a message naming the volume and the cause,
/// never as "internal error", and the failed change leaves the old state on disk and in memory.
/// </summary>
public sealed class FileSystemErrorTests : IDisposable
{
    private const string MountId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly TempDir _dir = new();
    private readonly string _root;

    public FileSystemErrorTests()
    {
        _root = _dir.Sub("root");
        Mounts.MountTmpfs(_root, "size=2m");
    }

    public void Dispose()
    {
        Mounts.Unmount(_root);
        _dir.Dispose();
    }

    private static VolumeRecord Record(string name, string size) => new(name, DateTimeOffset.UnixEpoch)
    {
        Options = new Dictionary<string, string> { ["size"] = size },
    };

    [Fact]
    public async Task A_record_write_on_a_full_data_root_says_so_and_keeps_the_old_record()
    {
        var store = await VolumeStateStore.OpenAsync(_root);
        await store.CreateAsync(Record("v", "1G"));
        var path = Path.Join(store.Directory, "v.json");
        var before = await File.ReadAllBytesAsync(path);
        var filler = await FillAsync();

        var update = await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(Record("v", "2G")));
        var create = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(Record("w", "1G")));

        Assert.Equal($"volume 'v': could not save its state: no space left on the plugin's data root ({path})", update.Message);
        Assert.Equal($"volume 'w': could not save its state: no space left on the plugin's data root ({Path.Join(store.Directory, "w.json")})", create.Message);
        Assert.IsAssignableFrom<IOException>(update.InnerException);
        Assert.True(store.TryGet("v", out var kept));
        Assert.Equal("1G", kept.Options["size"]);
        Assert.False(store.TryGet("w", out _));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(["v.json"], Directory.GetFiles(store.Directory).Select(Path.GetFileName)); // no temporary file left

        // Once there is room again, the same store writes normally: a failure leaves nothing half-done in memory.
        File.Delete(filler);
        await store.UpdateAsync(Record("v", "2G"));
        Assert.True((await VolumeStateStore.OpenAsync(_root)).TryGet("v", out var updated));
        Assert.Equal("2G", updated.Options["size"]);
    }

    [Fact]
    public async Task A_mount_count_on_a_full_data_root_says_so_and_keeps_the_old_count()
    {
        var ledger = await MountLedger.OpenAsync(_root);
        await ledger.AcquireAsync("v", MountId);
        var path = Path.Join(ledger.Directory, "v.json");
        await FillAsync();

        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.AcquireAsync("v", MountId));

        Assert.Equal($"volume 'v': could not save its state: no space left on the plugin's data root ({path})", ex.Message);
        Assert.Equal(1, ledger.GetTotal("v"));
        Assert.Equal(1, (await MountLedger.OpenAsync(_root)).GetTotal("v"));
        Assert.Equal(["v.json"], Directory.GetFiles(ledger.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_read_only_data_root_is_named_and_nothing_changes()
    {
        var store = await VolumeStateStore.OpenAsync(_root);
        var ledger = await MountLedger.OpenAsync(_root);
        await store.CreateAsync(Record("v", "1G"));
        await ledger.AcquireAsync("v", MountId);
        var record = Path.Join(store.Directory, "v.json");
        var counts = Path.Join(ledger.Directory, "v.json");
        Mounts.Remount(_root, "ro");
        try
        {
            var update = await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(Record("v", "2G")));
            var delete = await Assert.ThrowsAsync<VolumeDriverException>(() => store.DeleteAsync("v"));
            var release = await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.ReleaseAsync("v", MountId));

            Assert.Equal($"volume 'v': could not save its state: the plugin's data root is read-only ({record})", update.Message);
            Assert.Equal($"volume 'v': could not delete its state: the plugin's data root is read-only ({record})", delete.Message);
            Assert.Equal($"volume 'v': could not delete its state: the plugin's data root is read-only ({counts})", release.Message);
            Assert.True(store.TryGet("v", out var kept));
            Assert.Equal("1G", kept.Options["size"]);
            Assert.Equal(1, ledger.GetTotal("v"));

            // Loading still works on a read-only data root: the state can be read, only not changed.
            Assert.Equal(["v"], (await VolumeStateStore.OpenAsync(_root)).List().Select(r => r.Name));
        }
        finally
        {
            Mounts.Remount(_root, "rw");
        }
    }

    // Fills the tmpfs to the last byte with one file and returns its path.
    private async Task<string> FillAsync()
    {
        var filler = Path.Join(_root, "filler");
        var chunk = new byte[64 * 1024];
        await using var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
        }

        // The last chunk may have been cut short; single bytes take whatever is left.
        try
        {
            while (true)
            {
                await stream.WriteAsync(chunk.AsMemory(0, 1));
            }
        }
        catch (IOException)
        {
        }

        return filler;
    }
}
