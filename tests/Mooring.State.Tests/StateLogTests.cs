using Microsoft.Extensions.Logging;

namespace Mooring.State.Tests;

/// <summary>
/// The state log every change goes through: what a crash can leave at its end is dropped, damage before its end is
/// refused by name, changes reach the files at a checkpoint and at the next open, and files of the older format are
/// rewritten at this one (so an older plugin version refuses them rather than acting on state the log replaced).
/// </summary>
public sealed class StateLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // A 64 KiB property: a few changes of a record holding it pass the log's 1 MiB bound.
    private static readonly Dictionary<string, string> Padding = new() { ["padding"] = new string('x', 64 * 1024) };

    private string VolumesDir => _dir.Combine(".mooring", "volumes");

    private string LogPath => Path.Join(VolumesDir, "changes.log");

    [Theory]
    [InlineData("cut short")]
    [InlineData("zeros")]
    [InlineData("header only")]
    public async Task A_torn_last_record_is_dropped_and_every_change_before_it_kept(string tail)
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        await store.CreateAsync(Record("b", "2G"));
        await store.UpdateAsync(Record("a", "3G"));
        await AppendTornRecordAsync(tail);

        var logger = new CapturingLogger();
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path, logger);

        Assert.Equal(["a", "b"], reopened.List().Select(r => r.Name));
        Assert.True(reopened.TryGet("a", out var a));
        Assert.Equal("3G", a.Options["size"]);
        Assert.Empty(logger.AtLeast(LogLevel.Warning));
        if (tail == "zeros")
        {
            // Pages never written read back as the zeros the log keeps past its end: nothing tells them apart, and
            // nothing was acknowledged in them, so nothing is reported.
            Assert.DoesNotContain(logger.AtLeast(LogLevel.Information), m => m.StartsWith("Dropped ", StringComparison.Ordinal));
        }
        else
        {
            var dropped = Assert.Single(logger.AtLeast(LogLevel.Information), m => m.StartsWith("Dropped ", StringComparison.Ordinal));
            Assert.Contains(LogPath, dropped, StringComparison.Ordinal);
        }

        await store.DisposeAsync();
    }

    [Fact]
    public async Task Appends_overwrite_zeros_the_log_already_has_so_its_size_changes_once_per_chunk()
    {
        // fdatasync writes the inode too when the size changes: one more write and wait per change on ext4.
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        var length = new FileInfo(LogPath).Length;
        for (var i = 0; i < 20; i++)
        {
            await store.UpdateAsync(Record("a", $"{i}G"));
        }

        Assert.Equal(8 + 64 * 1024, length);
        Assert.Equal(length, new FileInfo(LogPath).Length);

        // Past the chunk: records that straddle its end are read back whole.
        for (var i = 0; new FileInfo(LogPath).Length == length; i++)
        {
            await store.CreateAsync(Record($"v{i}", "1G"));
        }

        var logger = new CapturingLogger();
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path, logger);
        Assert.Equal(store.List().Select(r => r.Name), reopened.List().Select(r => r.Name));
        Assert.Equal("19G", reopened.List()[0].Options["size"]);

        // The zeros past the last record are its end, not a torn record.
        Assert.DoesNotContain(logger.AtLeast(LogLevel.Information), m => m.StartsWith("Dropped ", StringComparison.Ordinal));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_log_that_holds_nothing_is_kept_as_it_is_and_takes_the_next_changes()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        await store.DisposeAsync(); // the checkpoint empties the log

        // The zeros a run writes ahead of its records, left by one that stopped before writing a record into them.
        await using (var log = new FileStream(LogPath, FileMode.Append))
        {
            log.Write(new byte[StateLog.PreallocationChunk]);
        }

        var length = new FileInfo(LogPath).Length;
        var written = File.GetLastWriteTimeUtc(LogPath);
        await Task.Delay(50);

        // Replacing it would write and sync it again at every restart (StateLog.Reopen).
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(LogPath));
        Assert.Equal(length, new FileInfo(LogPath).Length);

        await reopened.CreateAsync(Record("b", "2G"));
        Assert.Equal(length, new FileInfo(LogPath).Length); // into the zeros, right after the header
        Assert.Equal("b", Assert.Single(StateLogFormat.Read(LogPath).Changes).Name);

        // As after a crash: the next open replays it.
        await using var next = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Equal(["a", "b"], next.List().Select(r => r.Name));
    }

    [Fact]
    public async Task Damage_before_the_end_refuses_the_log_by_name_and_changes_nothing()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        await store.CreateAsync(Record("b", "2G"));
        var bytes = await File.ReadAllBytesAsync(LogPath);
        bytes[8 + 8 + 5] ^= 0xFF; // a byte of the first record's payload: its checksum fails, and a good record follows
        await File.WriteAllBytesAsync(LogPath, bytes);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => VolumeStateStore.OpenAsync(_dir.Path));

        Assert.Equal(
            $"the state log '{LogPath}' cannot be used: the record at byte 8 fails its checksum and more records follow it. " +
            "The plugin does not guess which changes count; move the file away to start from the state files alone (the changes only it holds are then lost)",
            ex.Message);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(LogPath));
        Assert.Empty(Directory.GetFiles(VolumesDir, "*.json"));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_log_of_a_newer_format_is_refused_by_name()
    {
        await (await VolumeStateStore.OpenAsync(_dir.Path)).DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(LogPath);
        bytes[7] = 2;
        await File.WriteAllBytesAsync(LogPath, bytes);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => VolumeStateStore.OpenAsync(_dir.Path));

        Assert.StartsWith($"the state log '{LogPath}' cannot be used: it does not start like a state log of this format", ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(LogPath));
    }

    [Fact]
    public async Task Changes_reach_the_files_when_the_log_passes_its_bound_without_closing()
    {
        await using var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "0G") with { Properties = Padding });
        for (var i = 1; i <= 20; i++)
        {
            await store.UpdateAsync(Record("a", $"{i}G") with { Properties = Padding });
        }

        // 21 changes of 64 KiB passed the 1 MiB bound once: the file holds a state at least that recent, and the log
        // was emptied then, so it holds only what came after.
        var file = await File.ReadAllTextAsync(Path.Join(VolumesDir, "a.json"));
        Assert.Contains("\"size\": \"1", file, StringComparison.Ordinal);
        Assert.InRange(new FileInfo(LogPath).Length, 8, 1 << 20);
    }

    [Fact]
    public async Task Volumes_created_and_removed_between_checkpoints_leave_no_file_and_the_log_still_empties()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await ChurnPastTheBoundAsync(store, "c");

        // The checkpoint emptied the log although the changes before it had cancelled out (it wrote one file at most:
        // that of the volume whose Create set it off, deleted again by the checkpoint at close).
        Assert.InRange(new FileInfo(LogPath).Length, 8, 512 * 1024);
        Assert.InRange(Directory.GetFiles(VolumesDir, "*.json").Length, 0, 1);
        await store.DisposeAsync();
        Assert.Empty(Directory.GetFiles(VolumesDir, "*.json"));
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Empty(reopened.List());
    }

    [Fact]
    public async Task Closing_after_changes_that_cancelled_out_leaves_an_empty_log()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        await store.DeleteAsync("a");
        await store.DisposeAsync();

        // Nothing left for the next start to replay.
        Assert.Equal(StateLogFormat.Header.Length, new FileInfo(LogPath).Length);
        Assert.Empty(Directory.GetFiles(VolumesDir, "*.json"));
    }

    [Fact]
    public async Task A_name_whose_file_a_failed_checkpoint_may_have_written_is_deleted_by_the_next_one()
    {
        Directory.CreateDirectory(VolumesDir);
        await using var log = StateLog.Create(LogPath, filed: []);
        await log.AppendAsync("x", "{}"u8.ToArray(), CancellationToken.None);

        // The write leaves the file and then fails (the directory's fsync, say): the checkpoint fails, the log keeps x.
        var file = Path.Join(VolumesDir, "x.json");
        await Assert.ThrowsAsync<IOException>(() => log.CheckpointAsync(
            async (name, content) =>
            {
                await File.WriteAllBytesAsync(file, content!);
                throw new IOException("fsync failed");
            },
            force: true));
        await log.AppendAsync("x", null, CancellationToken.None);

        var written = new List<(string Name, bool Deleted)>();
        await log.CheckpointAsync(
            (name, content) =>
            {
                written.Add((name, content is null));
                return Task.CompletedTask;
            },
            force: true);

        // Dropping x as never written would leave x.json for the next start to load: a removed volume back.
        Assert.Equal([("x", true)], written);
    }

    [Theory]
    [InlineData("written by a checkpoint")]
    [InlineData("there when the plugin started")]
    public async Task A_removed_volume_whose_file_exists_stays_removed_after_later_checkpoints(string file)
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));
        if (file == "there when the plugin started")
        {
            await store.DisposeAsync(); // writes a.json
            store = await VolumeStateStore.OpenAsync(_dir.Path);
        }
        else
        {
            await ChurnPastTheBoundAsync(store, "c");
        }

        Assert.True(File.Exists(Path.Join(VolumesDir, "a.json")));
        await store.DeleteAsync("a");

        // Checkpoints empty the log; only the checkpoint itself can delete a.json, or the record comes back.
        await ChurnPastTheBoundAsync(store, "d");
        Assert.False(File.Exists(Path.Join(VolumesDir, "a.json")));
        await store.DisposeAsync();
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.False(reopened.TryGet("a", out _));
    }

    [Fact]
    public async Task Opening_rewrites_older_format_files_at_this_one_and_keeps_their_content()
    {
        await (await VolumeStateStore.OpenAsync(_dir.Path)).DisposeAsync();
        await (await MountLedger.OpenAsync(_dir.Path)).DisposeAsync();
        var record = Path.Join(VolumesDir, "old.json");
        var counts = _dir.Combine(".mooring", "mounts", "old.json");
        await File.WriteAllTextAsync(record, """{"version":1,"name":"old","createdAt":"2024-01-01T00:00:00Z","options":{"size":"1G"},"phase":"removing"}""");
        await File.WriteAllTextAsync(counts, """{"version":1,"name":"old","mounts":{"id-1":2}}""");

        await using var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await using var ledger = await MountLedger.OpenAsync(_dir.Path);

        Assert.True(store.TryGet("old", out var old));
        Assert.Equal(("1G", VolumeRecordPhase.Removing), (old.Options["size"], old.Phase));
        Assert.Equal(2, ledger.GetTotal("old"));
        Assert.Contains("\"version\": 2", await File.ReadAllTextAsync(record), StringComparison.Ordinal);
        Assert.Contains("\"version\": 2", await File.ReadAllTextAsync(counts), StringComparison.Ordinal);
        Assert.Contains("\"removing\"", await File.ReadAllTextAsync(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_is_in_the_log_and_not_yet_in_a_file_when_it_returns()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("a", "1G"));

        // What makes a change cheap: no file of its own yet; the next open (as after kill -9) finds it in the log.
        Assert.Empty(Directory.GetFiles(VolumesDir, "*.json"));
        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.True(reopened.TryGet("a", out _));
        Assert.True(File.Exists(Path.Join(VolumesDir, "a.json")));
        await store.DisposeAsync();
    }

    // Creates and removes volumes of 64 KiB records until the log has passed its 1 MiB bound at least once.
    private static async Task ChurnPastTheBoundAsync(VolumeStateStore store, string prefix)
    {
        for (var i = 0; i < 20; i++)
        {
            await store.CreateAsync(Record($"{prefix}{i}", "1G") with { Properties = Padding });
            await store.DeleteAsync($"{prefix}{i}");
        }
    }

    private static VolumeRecord Record(string name, string size) => new(name, DateTimeOffset.UnixEpoch)
    {
        Options = new Dictionary<string, string> { ["size"] = size },
    };

    // What a crash inside the last append can leave: the first part of a record, or pages of zeros the size covers.
    private async Task AppendTornRecordAsync(string tail)
    {
        var torn = tail switch
        {
            "cut short" => new byte[] { 200, 0, 0, 0, 1, 2, 3, 4, 1, 1, 0, (byte)'c', (byte)'{' },
            "zeros" => new byte[4096],
            _ => new byte[] { 200, 0, 0 },
        };
        // Where the next record would go: right after the last one, over the zeros the log keeps past its end.
        var end = (await File.ReadAllBytesAsync(LogPath)).AsSpan().LastIndexOfAnyExcept((byte)0) + 1;
        await using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Write);
        stream.Position = end;
        await stream.WriteAsync(torn);
    }
}
