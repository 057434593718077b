namespace Mooring.State.Tests;

/// <summary>What a record file holds: the phase is persisted, a ready record is written exactly as before phases existed,
/// and a record that would not load again is refused before it is written.</summary>
public sealed class RecordFormatTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_ready_record_is_written_exactly_as_before_phases_existed()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);

        await store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Options = new Dictionary<string, string> { ["size"] = "1G" } });
        await store.DisposeAsync(); // writes the log's changes into the files

        // The layout a format-1 plugin without phases wrote, stamped format 2: since the state log, an older plugin
        // refuses the file after a rollback instead of acting on it (docs/benchmarks.md, "Durable lifecycle").
        const string Expected = """
            {
              "version": 2,
              "name": "v",
              "createdAt": "1970-01-01T00:00:00+00:00",
              "options": {
                "size": "1G"
              },
              "properties": {}
            }
            """;
        Assert.Equal(Expected, await File.ReadAllTextAsync(_dir.Combine(".mooring", "volumes", "v.json")));
        Assert.True(store.TryGet("v", out var record));
        Assert.Equal(VolumeRecordPhase.Ready, record.Phase);
    }

    [Theory]
    [InlineData(VolumeRecordPhase.Creating, "creating")]
    [InlineData(VolumeRecordPhase.Removing, "removing")]
    public async Task Creating_and_removing_survive_reopening_and_ready_removes_the_property(VolumeRecordPhase phase, string spelled)
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var path = _dir.Combine(".mooring", "volumes", "v.json");

        await store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Phase = phase });
        await store.DisposeAsync();

        Assert.Contains($"\"phase\": \"{spelled}\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.True(reopened.TryGet("v", out var record));
        Assert.Equal(phase, record.Phase);

        await reopened.UpdateAsync(record with { Phase = VolumeRecordPhase.Ready });
        await reopened.DisposeAsync();
        Assert.DoesNotContain("phase", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.True((await VolumeStateStore.OpenAsync(_dir.Path)).TryGet("v", out var ready));
        Assert.Equal(VolumeRecordPhase.Ready, ready.Phase);
    }

    [Fact]
    public async Task An_explicit_ready_phase_is_read_as_ready()
    {
        await VolumeStateStore.OpenAsync(_dir.Path);
        await File.WriteAllTextAsync(_dir.Combine(".mooring", "volumes", "v.json"), """{"version":1,"name":"v","createdAt":"2024-01-01T00:00:00Z","phase":"ready"}""");

        var store = await VolumeStateStore.OpenAsync(_dir.Path);

        Assert.True(store.TryGet("v", out var record));
        Assert.Equal(VolumeRecordPhase.Ready, record.Phase);
    }

    [Fact]
    public async Task An_undefined_phase_value_is_refused_before_anything_is_written()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Phase = (VolumeRecordPhase)42 }));

        Assert.False(store.TryGet("v", out _));
        StateFilesAssert.NothingWritten(store.Directory);
    }

    [Fact]
    public async Task A_null_option_value_is_refused_before_anything_is_written()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var options = new Dictionary<string, string> { ["size"] = null! };

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Options = options }));

        Assert.False(store.TryGet("v", out _));
        StateFilesAssert.NothingWritten(store.Directory);
    }
}
