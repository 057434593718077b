using Microsoft.Extensions.Logging;

namespace Mooring.State.Tests;

/// <summary>
/// State the plugin cannot read (a rollback to an older plugin, a torn file, a file holding another volume's state) is
/// never deleted, moved or overwritten: it is reported, every change to its volume is refused with a message that says
/// why and what to do, and after the newer plugin comes back the file is exactly as it was.
/// </summary>
public sealed class UnreadableStateTests : IDisposable
{
    private const string Remedy = "upgrade the plugin again, or move the file away if you know it is garbage";
    private const string MountId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    // A record as a format-2 plugin might write it: the shape of "options" changed too, so only the version tells.
    private const string NewerRecord = """
        {"version":3,"name":"future","createdAt":"2024-01-01T00:00:00Z","options":[{"key":"size","value":"1G"}],"snapshots":["s1"]}
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string VolumesDir => _dir.Combine(".mooring", "volumes");

    private string MountsDir => _dir.Combine(".mooring", "mounts");

    [Theory]
    [InlineData("update")]
    [InlineData("removal")]
    public async Task A_logged_change_of_a_volume_whose_file_became_unreadable_is_kept_beside_the_file(string change)
    {
        var record = new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Options = new Dictionary<string, string> { ["size"] = "1G" } };
        await using (var first = await VolumeStateStore.OpenAsync(_dir.Path))
        {
            await first.CreateAsync(record);
        }

        // A change acknowledged into the log, then the plugin killed before a checkpoint, and the file damaged.
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        if (change == "update")
        {
            await store.UpdateAsync(record with { Options = new Dictionary<string, string> { ["size"] = "2G" } });
        }
        else
        {
            await store.DeleteAsync("v");
        }

        var path = Path.Join(VolumesDir, "v.json");
        await File.WriteAllTextAsync(path, "{ torn");
        var logger = new CapturingLogger();

        await using (var reopened = await VolumeStateStore.OpenAsync(_dir.Path, logger))
        {
            Assert.True(reopened.TryGetUnreadable("v", out var state));
            Assert.Equal("{ torn", await File.ReadAllTextAsync(path));
            if (change == "update")
            {
                Assert.Contains("\"size\": \"2G\"", await File.ReadAllTextAsync(path + ".from-log"), StringComparison.Ordinal);
                Assert.EndsWith($"; the state log held a later change of it, saved in '{path}.from-log'", state.Reason, StringComparison.Ordinal);
            }
            else
            {
                Assert.False(File.Exists(path + ".from-log"));
                Assert.EndsWith("; the state log's later change of it, its removal, was not applied", state.Reason, StringComparison.Ordinal);
            }

            Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.StartsWith("The state log holds a later change of volume v,", StringComparison.Ordinal));
        }

        // The log was emptied once the change was kept: the next start finds nothing more to set aside.
        var again = new CapturingLogger();
        await using var third = await VolumeStateStore.OpenAsync(_dir.Path, again);
        Assert.DoesNotContain(again.AtLeast(LogLevel.Error), m => m.StartsWith("The state log holds", StringComparison.Ordinal));
        Assert.Equal("{ torn", await File.ReadAllTextAsync(path));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_record_from_a_newer_format_with_data_survives_a_rollback_and_a_create_attempt_byte_identical()
    {
        await VolumeStateStore.OpenAsync(_dir.Path); // creates the state folders
        var path = Path.Join(VolumesDir, "future.json");
        await File.WriteAllTextAsync(path, NewerRecord);
        var data = _dir.Combine("volumes", "future", "hello.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        await File.WriteAllTextAsync(data, "written by the newer plugin");
        var logger = new CapturingLogger();

        var store = await VolumeStateStore.OpenAsync(_dir.Path, logger);

        Assert.Empty(store.List());
        Assert.False(store.TryGet("future", out _));
        var expected = new UnreadableState("future", path, "was written by a newer plugin version (format 3, this plugin reads 2)");
        Assert.Equal([expected], store.Unreadable);
        Assert.True(store.TryGetUnreadable("future", out var state));
        Assert.Equal(expected, state);
        Assert.False(store.TryGetUnreadable("other", out _));
        var logged = Assert.Single(logger.AtLeast(LogLevel.Error));
        Assert.Contains("'future'", logged, StringComparison.Ordinal);
        Assert.Contains(path, logged, StringComparison.Ordinal);
        Assert.Contains(Remedy, logged, StringComparison.Ordinal);

        // Every change to the name is refused and says which file, why, and what to do.
        var expectedMessage = $"volume 'future' is unavailable: its state file '{path}' was written by a newer plugin version (format 3, this plugin reads 2); {Remedy}";
        Assert.Equal(expectedMessage, (await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("future", DateTimeOffset.UnixEpoch)))).Message);
        Assert.Equal(expectedMessage, (await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(new VolumeRecord("future", DateTimeOffset.UnixEpoch)))).Message);
        Assert.Equal(expectedMessage, (await Assert.ThrowsAsync<VolumeDriverException>(() => store.DeleteAsync("future"))).Message);

        // The rollback ends (the newer plugin comes back, here: the file is read again): everything is as it was.
        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Equal(NewerRecord, await File.ReadAllTextAsync(path));
        Assert.Equal(["future.json"], Directory.GetFiles(VolumesDir, "*.json").Select(Path.GetFileName));
        Assert.Equal("written by the newer plugin", await File.ReadAllTextAsync(data));
        Assert.Equal([expected], reopened.Unreadable);
    }

    [Fact]
    public async Task A_torn_record_is_kept_byte_identical_and_its_name_refused()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(new VolumeRecord("torn", DateTimeOffset.UnixEpoch) { Options = new Dictionary<string, string> { ["size"] = "1G" } });
        await store.CreateAsync(new VolumeRecord("whole", DateTimeOffset.UnixEpoch));
        await store.DisposeAsync(); // writes the log's changes into the files
        var path = Path.Join(VolumesDir, "torn.json");
        var bytes = await File.ReadAllBytesAsync(path);
        var torn = bytes[..(bytes.Length / 2)];
        await File.WriteAllBytesAsync(path, torn);

        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);

        Assert.Equal(["whole"], reopened.List().Select(r => r.Name));
        var state = Assert.Single(reopened.Unreadable);
        Assert.Equal(("torn", path), (state.Name, state.Path));
        Assert.StartsWith("is not valid JSON (", state.Reason, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => reopened.CreateAsync(new VolumeRecord("torn", DateTimeOffset.UnixEpoch)));
        Assert.StartsWith($"volume 'torn' is unavailable: its state file '{path}' is not valid JSON (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(Remedy, ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VolumeDriverException>(() => reopened.DeleteAsync("torn"));

        Assert.Equal(torn, await File.ReadAllBytesAsync(path));
        Assert.Equal(["torn"], (await VolumeStateStore.OpenAsync(_dir.Path)).Unreadable.Select(u => u.Name));
    }

    [Theory]
    [InlineData("""{"version":1,"name":"other","createdAt":"2024-01-01T00:00:00Z"}""", "holds the state of volume 'other', not of 'v'")]
    [InlineData("""{"version":1,"createdAt":"2024-01-01T00:00:00Z"}""", "names no volume")]
    [InlineData("""{"version":0,"name":"v"}""", "has no valid format version")]
    [InlineData("""{"version":1,"name":"v","createdAt":"2024-01-01T00:00:00Z","phase":"migrating"}""", "has a phase this plugin does not know ('migrating')")]
    [InlineData("""{"version":1,"name":"v","createdAt":"2024-01-01T00:00:00Z","options":{"size":null}}""", "holds an option or property without a value")]
    [InlineData("""{"version":1,"name":"v","createdAt":"not a date"}""", "does not have the layout of format 1 (field 'createdAt' must be a date and time")]
    [InlineData("""{"version":2,"name":"v","createdAt":"2024-01-01T00:00:00Z","options":{"size":1}}""", "does not have the layout of format 2 (field 'options' must be an object whose values are strings)")]
    [InlineData("""{"version":"2","name":"v"}""", "has no valid format version")]
    [InlineData("""["v"]""", "has no valid format version")]
    [InlineData("null", "has no valid format version")]
    [InlineData("", "is not valid JSON (")]
    public async Task A_record_that_does_not_hold_this_volume_is_kept_and_refused(string content, string reason)
    {
        await VolumeStateStore.OpenAsync(_dir.Path);
        var path = Path.Join(VolumesDir, "v.json");
        await File.WriteAllTextAsync(path, content);

        var store = await VolumeStateStore.OpenAsync(_dir.Path);

        var state = Assert.Single(store.Unreadable);
        Assert.Equal("v", state.Name);
        Assert.StartsWith(reason, state.Reason, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch)));
        Assert.Contains($"its state file '{path}' {reason}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData("""{"version":3,"name":"v","mounts":{"id":1},"holders":["c1"]}""", "was written by a newer plugin version (format 3, this plugin reads 2)")]
    [InlineData("""{"version":1,"name":"v","mou""", "is not valid JSON (")]
    [InlineData("""{"version":1,"name":"w","mounts":{"id":1}}""", "holds the state of volume 'w', not of 'v'")]
    [InlineData("""{"version":1,"name":"v"}""", "holds no mount counts")]
    public async Task Unreadable_mount_counts_are_kept_byte_identical_and_every_change_is_refused(string content, string reason)
    {
        await MountLedger.OpenAsync(_dir.Path);
        var path = Path.Join(MountsDir, "v.json");
        await File.WriteAllTextAsync(path, content);
        var logger = new CapturingLogger();

        var ledger = await MountLedger.OpenAsync(_dir.Path, logger);

        Assert.True(ledger.TryGetUnreadable("v", out var state));
        Assert.Equal(("v", path), (state.Name, state.Path));
        Assert.StartsWith(reason, state.Reason, StringComparison.Ordinal);
        Assert.Equal([state], ledger.Unreadable);
        Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.Contains(path, StringComparison.Ordinal));
        foreach (var change in new Func<Task>[]
        {
            () => ledger.AcquireAsync("v", MountId),
            () => ledger.ReleaseAsync("v", MountId),
            () => ledger.ForgetAsync("v"),
        })
        {
            var ex = await Assert.ThrowsAsync<VolumeDriverException>(change);
            Assert.StartsWith($"volume 'v' is unavailable: its state file '{path}' {reason}", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith(Remedy, ex.Message, StringComparison.Ordinal);
        }

        // Other volumes are unaffected.
        Assert.Equal(1, await ledger.AcquireAsync("other", MountId));
        Assert.Equal(content, await File.ReadAllTextAsync(path));
        Assert.Equal([state], (await MountLedger.OpenAsync(_dir.Path)).Unreadable);
    }

    [Fact]
    public async Task Nothing_is_unreadable_in_a_healthy_store_and_ledger()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Phase = VolumeRecordPhase.Creating });
        await ledger.AcquireAsync("v", MountId);

        Assert.Empty((await VolumeStateStore.OpenAsync(_dir.Path)).Unreadable);
        Assert.Empty((await MountLedger.OpenAsync(_dir.Path)).Unreadable);
    }
}
