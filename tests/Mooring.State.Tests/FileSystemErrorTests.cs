using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mooring.State.Tests;

/// <summary>
/// A full or read-only data root (a real 2 MiB tmpfs) reaches the user as a message naming the volume and the cause,
/// never as "internal error", and the failed change leaves the old state on disk and in memory.
/// </summary>
public sealed class FileSystemErrorTests : IDisposable
{
    private const string MountId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly TempDirectory _dir = new();
    private readonly string _root;

    public FileSystemErrorTests()
    {
        _root = _dir.Combine("root");
        Mounts.MountTmpfs(_root, "size=2m");
    }

    public void Dispose()
    {
        Mounts.Unmount(_root);
        _dir.Dispose();
    }

    private static readonly Dictionary<string, string> Large = new() { ["padding"] = new string('x', 16 * 1024) };

    private static VolumeRecord Record(string name, string size) => new(name, DateTimeOffset.UnixEpoch)
    {
        Options = new Dictionary<string, string> { ["size"] = size },
    };

    [Theory]
    [InlineData("missing")]
    [InlineData("not a directory")]
    public void A_state_directory_that_cannot_be_created_is_named_with_the_cause(string problem)
    {
        // /proc refuses new entries with ENOENT; a regular file on the way gives ENOTDIR. .NET reports both without an
        // errno, and in a plugin (UseSystemResourceKeys) with a resource key for a message.
        var parent = problem == "missing" ? "/proc/no-such-entry" : _dir.Combine("a-file");
        if (problem != "missing")
        {
            File.WriteAllText(parent, "");
        }

        var directory = Path.Join(parent, ".mooring", "volumes");
        var failure = Assert.Throws<IOException>(() => AtomicFile.EnsureDirectory(directory));
        Assert.Equal($"cannot create the directory '{directory}': no such file or directory", failure.Message);
    }

    [Fact]
    public async Task A_record_write_on_a_full_data_root_says_so_and_keeps_the_old_record()
    {
        var store = await VolumeStateStore.OpenAsync(_root);
        await store.CreateAsync(Record("v", "1G"));
        var log = Path.Join(store.Directory, StateLogName);
        var filler = await FillAsync();

        // The log's last page may still have room for a few changes; the first that needs a new one must fail. Each
        // change is several pages long, so the failing write leaves part of its record in the file.
        var (update, written) = await UntilRefusedAsync(i => store.UpdateAsync(Record("v", $"{i}G") with { Properties = Large }));
        var create = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(Record("w", "1G") with { Properties = Large }));

        Assert.Equal($"volume 'v': could not save its state: no space left on the plugin's data root ({log})", update.Message);
        Assert.Equal($"volume 'w': could not save its state: no space left on the plugin's data root ({log})", create.Message);
        Assert.IsAssignableFrom<IOException>(update.InnerException);
        Assert.True(store.TryGet("v", out var kept));
        Assert.Equal(written == 0 ? "1G" : $"{written}G", kept.Options["size"]);
        Assert.False(store.TryGet("w", out _));
        Assert.Empty(Directory.GetFiles(store.Directory, "*.tmp")); // no temporary file left

        // Once there is room again, the same store writes normally: a failure leaves nothing half-done in memory
        // or in the log. The next records are shorter than the part the full disk cut off, so that part, were it left
        // behind, would follow the last good record and make the log unreadable at the next open (as after a crash:
        // the store is not closed first, which would empty the log).
        File.Delete(filler);
        await store.UpdateAsync(Record("v", "99G"));
        await store.CreateAsync(Record("w", "1G"));

        await using (var reopened = await VolumeStateStore.OpenAsync(_root))
        {
            Assert.True(reopened.TryGet("v", out var updated));
            Assert.Equal("99G", updated.Options["size"]);
            Assert.True(reopened.TryGet("w", out _));
        }

        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_mount_count_on_a_full_data_root_says_so_and_keeps_the_old_count()
    {
        await using (var ledger = await MountLedger.OpenAsync(_root))
        {
            await ledger.AcquireAsync("v", MountId);
            var log = Path.Join(ledger.Directory, StateLogName);
            await FillAsync();

            var (ex, written) = await UntilRefusedAsync(_ => ledger.AcquireAsync("v", MountId));

            Assert.Equal($"volume 'v': could not save its state: no space left on the plugin's data root ({log})", ex.Message);
            Assert.Equal(1 + written, ledger.GetTotal("v"));
            await using var reopened = await MountLedger.OpenAsync(_root);
            Assert.Equal(1 + written, reopened.GetTotal("v"));
        }

        // Closing on a full disk could not write the counts into their file; the log keeps them, and no temporary file.
        Assert.Empty(Directory.GetFiles(Path.Join(_root, ".mooring", "mounts"), "*.tmp"));
    }

    [Fact]
    public async Task A_read_only_data_root_is_named_and_nothing_changes()
    {
        var store = await VolumeStateStore.OpenAsync(_root);
        var ledger = await MountLedger.OpenAsync(_root);
        await store.CreateAsync(Record("v", "1G"));
        await ledger.AcquireAsync("v", MountId);
        var records = Path.Join(store.Directory, StateLogName);
        var counts = Path.Join(ledger.Directory, StateLogName);

        // A file open for writing keeps a file system from being remounted read-only: the plugin's own log is closed
        // first (dockerd restarts a plugin whose data root changes), and opened again below, read-only.
        await store.DisposeAsync();
        await ledger.DisposeAsync();
        Mounts.Remount(_root, "ro");
        try
        {
            // Loading still works on a read-only data root: the state can be read, only not changed.
            await using var readOnly = await VolumeStateStore.OpenAsync(_root);
            await using var readOnlyLedger = await MountLedger.OpenAsync(_root);
            Assert.Equal(["v"], readOnly.List().Select(r => r.Name));

            var update = await Assert.ThrowsAsync<VolumeDriverException>(() => readOnly.UpdateAsync(Record("v", "2G")));
            var delete = await Assert.ThrowsAsync<VolumeDriverException>(() => readOnly.DeleteAsync("v"));
            var release = await Assert.ThrowsAsync<VolumeDriverException>(() => readOnlyLedger.ReleaseAsync("v", MountId));

            Assert.Equal($"volume 'v': could not save its state: the plugin's data root is read-only ({records})", update.Message);
            Assert.Equal($"volume 'v': could not delete its state: the plugin's data root is read-only ({records})", delete.Message);
            Assert.Equal($"volume 'v': could not delete its state: the plugin's data root is read-only ({counts})", release.Message);
            Assert.True(readOnly.TryGet("v", out var kept));
            Assert.Equal("1G", kept.Options["size"]);
            Assert.Equal(1, readOnlyLedger.GetTotal("v"));
        }
        finally
        {
            Mounts.Remount(_root, "rw");
        }
    }

    [Theory]
    [InlineData("full")]
    [InlineData("read-only")]
    public async Task A_logged_change_of_an_unreadable_volume_that_cannot_be_set_aside_stays_in_the_log(string problem)
    {
        // The state a killed plugin leaves: a change acknowledged into the log, no checkpoint, and the volume's file
        // damaged since. Made on another directory and copied in, because a log held open for writing keeps the tmpfs
        // from being remounted read-only.
        var crashed = _dir.Combine("crashed");
        Directory.CreateDirectory(crashed);
        var record = Record("v", "1G");
        await using (var first = await VolumeStateStore.OpenAsync(crashed))
        {
            await first.CreateAsync(record);
        }

        var killed = await VolumeStateStore.OpenAsync(crashed);
        await killed.UpdateAsync(record with { Options = new Dictionary<string, string> { ["size"] = "2G" } });
        Mounts.Run("cp", "-a", Path.Join(crashed, ".mooring"), _root);
        await killed.DisposeAsync();
        var volumes = Path.Join(_root, ".mooring", "volumes");
        var path = Path.Join(volumes, "v.json");
        var log = Path.Join(volumes, StateLogName);
        await File.WriteAllTextAsync(path, "{ torn");
        var logged = await File.ReadAllBytesAsync(log);
        var filler = problem == "full" ? await FillAsync() : null;
        if (problem == "read-only")
        {
            Mounts.Remount(_root, "ro");
        }

        // Setting the change aside needs a write the data root refuses: the log that holds the change must not be
        // emptied, and the store is served as it is with every change refused.
        var logger = new CapturingLogger();
        try
        {
            await using var store = await VolumeStateStore.OpenAsync(_root, logger);
            Assert.True(store.TryGetUnreadable("v", out _));
            Assert.Equal(logged, await File.ReadAllBytesAsync(log));
            Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.StartsWith($"The state in {volumes} could not be brought up to date at start", StringComparison.Ordinal));
            var cause = problem == "full" ? "no space left on the plugin's data root" : "the plugin's data root is read-only";
            var refused = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(Record("w", "1G")));
            Assert.Contains(cause, refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (problem == "read-only")
            {
                Mounts.Remount(_root, "rw");
            }
        }

        Assert.Equal(logged, await File.ReadAllBytesAsync(log));
        Assert.Equal("{ torn", await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(path + ".from-log"));
        Assert.Empty(Directory.GetFiles(volumes, "*.tmp"));

        // With room again, the next start keeps the change beside the file, as it would have at first.
        if (filler is not null)
        {
            File.Delete(filler);
        }

        await using var after = await VolumeStateStore.OpenAsync(_root);
        Assert.True(after.TryGetUnreadable("v", out var state));
        Assert.Contains("\"size\": \"2G\"", await File.ReadAllTextAsync(path + ".from-log"), StringComparison.Ordinal);
        Assert.EndsWith($"saved in '{path}.from-log'", state.Reason, StringComparison.Ordinal);
        Assert.Equal("{ torn", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Preparing_a_downgrade_on_a_full_data_root_says_so_loses_nothing_and_succeeds_once_there_is_room()
    {
        var store = await VolumeStateStore.OpenAsync(_root);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await store.CreateAsync(Record(name, "1G") with { Options = Large }); // in the log only
        }

        var filler = await FillAsync();

        // The checkpoint before the rewrite cannot write the files: the log keeps the changes.
        var failure = await Assert.ThrowsAsync<IOException>(() => store.PrepareDowngradeAsync());
        Assert.Equal("no space left on the plugin's data root", FileSystemErrors.TryGetCause(failure));

        File.Delete(filler);
        Assert.Equal(3, await store.PrepareDowngradeAsync());
        await store.DisposeAsync();

        await using var older = new StateFileSet<VolumeRecordFile>(_root, "volumes", formatVersion: 1, _ => null, NullLogger.Instance);
        Assert.Equal(["a", "b", "c"], (await older.LoadAsync(CancellationToken.None)).Select(r => r.Name));
        Assert.Empty(older.Unreadable);
    }

    private const string StateLogName = "changes.log";

    // Repeats a change until the file system refuses it; returns the refusal and how many changes succeeded first.
    private static async Task<(VolumeDriverException Error, int Written)> UntilRefusedAsync(Func<int, Task> change)
    {
        for (var i = 1; i <= 1000; i++)
        {
            try
            {
                await change(i);
            }
            catch (VolumeDriverException ex)
            {
                return (ex, i - 1);
            }
        }

        throw new Xunit.Sdk.XunitException("1000 changes were accepted on a full file system");
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
