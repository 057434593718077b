using Microsoft.Extensions.Logging.Abstractions;

namespace Mooring.State.Tests;

/// <summary>
/// <see cref="VolumeStateStore.PrepareDowngradeAsync"/> and <see cref="MountLedger.PrepareDowngradeAsync"/>: after them a
/// plugin version without the state log (format 1) loads every volume and count, the log holds nothing it would miss,
/// and no later change can be acknowledged without reaching the files it reads (docs/reliability.md, "Downgrades").
/// </summary>
/// <remarks>The older version is played by <see cref="StateFileSet{TFile}"/> opened at format 1: the same format gate
/// those versions have (a file of a newer format is refused by name), over the same files.</remarks>
public sealed class DowngradeTests : IDisposable
{
    private const string MountId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VolumeRecord Record(string name, string size) => new(name, DateTimeOffset.UnixEpoch)
    {
        Options = new Dictionary<string, string> { ["size"] = size },
    };

    [Fact]
    public async Task A_version_without_the_log_loads_every_volume_and_count_the_log_held()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("kept", "1G"));
        await store.CreateAsync(Record("changed", "1G"));
        await store.UpdateAsync(Record("changed", "2G"));
        await store.CreateAsync(Record("creating", "1G") with { Phase = VolumeRecordPhase.Creating });
        await store.CreateAsync(Record("gone", "1G"));
        await store.DeleteAsync("gone");
        await ledger.AcquireAsync("kept", MountId);
        await ledger.AcquireAsync("kept", MountId);

        Assert.Equal(3, await store.PrepareDowngradeAsync());
        Assert.Equal(1, await ledger.PrepareDowngradeAsync());

        // Nothing left in either log: the older version does not read it.
        Assert.Equal(8, new FileInfo(Path.Join(store.Directory, StateLog.FileName)).Length);
        Assert.Equal(8, new FileInfo(Path.Join(ledger.Directory, StateLog.FileName)).Length);
        await store.DisposeAsync();
        await ledger.DisposeAsync();

        var (records, unreadableRecords) = await LoadAsOlderVersionAsync<VolumeRecordFile>("volumes");
        Assert.Empty(unreadableRecords);
        Assert.Equal(["changed", "creating", "kept"], records.Select(r => r.Name));
        Assert.Equal("2G", records[0].Options!["size"]);
        Assert.Equal("creating", records[1].Phase);
        var (counts, unreadableCounts) = await LoadAsOlderVersionAsync<MountLedgerFile>("mounts");
        Assert.Empty(unreadableCounts);
        Assert.Equal(2, Assert.Single(counts).Mounts![MountId]);
    }

    [Fact]
    public async Task The_files_are_those_of_format_1_with_the_content_this_version_wrote()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));
        await store.DisposeAsync(); // this version's file, at format 2
        var path = _dir.Combine(".mooring", "volumes", "v.json");
        var written = await File.ReadAllTextAsync(path);

        store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.PrepareDowngradeAsync();
        await store.DisposeAsync();

        Assert.Contains("\"version\": 2,", written, StringComparison.Ordinal);
        Assert.Equal(written.Replace("\"version\": 2,", "\"version\": 1,", StringComparison.Ordinal), await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Every_later_change_is_refused_with_the_reason_and_a_clean_stop_writes_nothing()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));
        await ledger.AcquireAsync("v", MountId);
        await store.PrepareDowngradeAsync();
        await ledger.PrepareDowngradeAsync();
        var before = Snapshot();

        var refusals = new[]
        {
            await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(Record("w", "1G"))),
            await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(Record("v", "2G"))),
            await Assert.ThrowsAsync<VolumeDriverException>(() => store.DeleteAsync("v")),
            await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.AcquireAsync("v", MountId)),
            await Assert.ThrowsAsync<VolumeDriverException>(() => ledger.ReleaseAsync("v", MountId)),
        };
        foreach (var refusal in refusals)
        {
            Assert.Matches("^volume '[vw]': could not .*: the plugin's state was written back at format 1 for a downgrade \\(ctl prepare-downgrade\\), so no change is accepted; install the older plugin version, or restart this one to accept changes again", refusal.Message);
        }

        // Memory kept what the files say.
        Assert.True(store.TryGet("v", out var kept));
        Assert.Equal("1G", kept.Options["size"]);
        Assert.False(store.TryGet("w", out _));
        Assert.Equal(1, ledger.GetTotal("v"));

        await store.DisposeAsync();
        await ledger.DisposeAsync();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Restarting_this_version_instead_undoes_it()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));
        await store.PrepareDowngradeAsync();
        await store.DisposeAsync();

        await using var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Contains("\"version\": 2,", await File.ReadAllTextAsync(_dir.Combine(".mooring", "volumes", "v.json")), StringComparison.Ordinal);
        await reopened.CreateAsync(Record("w", "1G"));
        Assert.True(reopened.TryGet("w", out _));
    }

    [Fact]
    public async Task A_change_racing_the_preparation_is_either_in_the_files_or_refused()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);

        // Eight writers create volumes until one of their changes is refused, so changes are in flight when it runs. A
        // writer still acknowledged after the preparation has returned gives up (and fails the test) instead of hanging.
        var prepared = 0;
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var acknowledged = new List<string>();
            for (var i = 0; ; i++)
            {
                var name = $"w{w}-{i:D5}";
                try
                {
                    await store.CreateAsync(Record(name, "1G"));
                }
                catch (VolumeDriverException ex) when (ex.Message.Contains("prepare-downgrade", StringComparison.Ordinal))
                {
                    return acknowledged;
                }

                acknowledged.Add(name);
                Assert.True(Volatile.Read(ref prepared) == 0, $"{name} was acknowledged after the preparation returned");
            }
        })).ToArray();
        while (store.List().Count < 50)
        {
            await Task.Delay(1);
        }

        await store.PrepareDowngradeAsync();
        Volatile.Write(ref prepared, 1);
        var acknowledged = (await Task.WhenAll(writers)).SelectMany(names => names).Order(StringComparer.Ordinal).ToArray();
        await store.DisposeAsync();

        var (records, unreadable) = await LoadAsOlderVersionAsync<VolumeRecordFile>("volumes");
        Assert.Empty(unreadable);
        Assert.Equal(acknowledged, records.Select(r => r.Name));
    }

    [Fact]
    public async Task A_file_that_could_not_be_read_is_left_as_it_is_and_not_counted()
    {
        await (await VolumeStateStore.OpenAsync(_dir.Path)).DisposeAsync();
        var damaged = _dir.Combine(".mooring", "volumes", "damaged.json");
        await File.WriteAllTextAsync(damaged, "{ torn");
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));

        Assert.Equal(1, await store.PrepareDowngradeAsync());
        await store.DisposeAsync();

        Assert.Equal("{ torn", await File.ReadAllTextAsync(damaged));
    }

    [Fact]
    public async Task Preparing_again_writes_the_same_files()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));
        Assert.Equal(1, await store.PrepareDowngradeAsync());
        var first = Snapshot();

        Assert.Equal(1, await store.PrepareDowngradeAsync());
        await store.DisposeAsync();
        Assert.Equal(first, Snapshot());
    }

    // Every file under the state directories, with its bytes (the locks' files excluded: they hold nothing).
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(_dir.Combine(".mooring"), "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(_dir.Path, path)] = Convert.ToHexString(File.ReadAllBytes(path));
        }

        return files;
    }

    private async Task<(IReadOnlyList<TFile> Loaded, IReadOnlyList<UnreadableState> Unreadable)> LoadAsOlderVersionAsync<TFile>(string kind)
        where TFile : class, IStateFile, new()
    {
        await using var older = new StateFileSet<TFile>(_dir.Path, kind, formatVersion: 1, _ => null, NullLogger.Instance);
        var loaded = await older.LoadAsync(CancellationToken.None);
        return (loaded, older.Unreadable);
    }
}
