using Microsoft.Extensions.Logging;

namespace Mooring.State.Tests;

public sealed class VolumeStateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VolumeRecord Record(string name, string size = "1G") => new(name, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)))
    {
        Options = new Dictionary<string, string> { ["size"] = size, ["Mode"] = "a b\"c" },
        Properties = new Dictionary<string, string> { ["backend-id"] = "42" },
    };

    [Fact]
    public async Task Records_survive_reopening_with_every_field()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("one"));
        await store.CreateAsync(Record("two", "2G"));

        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);

        Assert.Equal(["one", "two"], reopened.List().Select(r => r.Name));
        Assert.True(reopened.TryGet("two", out var two));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), two.CreatedAt);
        Assert.Equal("2G", two.Options["size"]);
        Assert.Equal("a b\"c", two.Options["Mode"]);
        Assert.Equal("42", two.Properties["backend-id"]);
        await reopened.DisposeAsync();
        Assert.True(File.Exists(_dir.Combine(".mooring", "volumes", "one.json")));
    }

    [Fact]
    public async Task Create_of_an_existing_volume_fails_and_keeps_the_first()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v", "1G"));

        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => store.CreateAsync(Record("v", "9G")));

        Assert.Contains("'v' already exists", ex.Message);
        Assert.Equal("1G", (await VolumeStateStore.OpenAsync(_dir.Path)).List().Single().Options["size"]);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_let_exactly_one_win()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CreateAsync(Record("same", i.ToString()));
                return true;
            }
            catch (VolumeDriverException)
            {
                return false;
            }
        }));

        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.Equal(store.List().Single().Options["size"], reopened.List().Single().Options["size"]);
    }

    [Fact]
    public async Task Update_replaces_and_update_of_a_missing_volume_fails()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v"));
        store.TryGet("v", out var before);

        await store.UpdateAsync(before! with { Properties = new Dictionary<string, string> { ["backend-id"] = "43" } });
        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => store.UpdateAsync(Record("ghost")));

        Assert.Equal("volume 'ghost' not found", ex.Message);
        var reopened = await VolumeStateStore.OpenAsync(_dir.Path);
        Assert.True(reopened.TryGet("v", out var after));
        Assert.Equal("43", after.Properties["backend-id"]);
        Assert.False(reopened.TryGet("ghost", out _));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_reports_whether_it_existed()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("v"));

        Assert.True(await store.DeleteAsync("v"));
        Assert.False(await store.DeleteAsync("v"));

        Assert.False(store.TryGet("v", out _));
        Assert.False(File.Exists(_dir.Combine(".mooring", "volumes", "v.json")));
        Assert.Empty((await VolumeStateStore.OpenAsync(_dir.Path)).List());
    }

    [Fact]
    public async Task Mutating_the_dictionaries_after_create_changes_nothing_stored()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var options = new Dictionary<string, string> { ["size"] = "1G" };
        await store.CreateAsync(new VolumeRecord("v", DateTimeOffset.UnixEpoch) { Options = options });

        options["size"] = "changed";

        store.TryGet("v", out var record);
        Assert.Equal("1G", record!.Options["size"]);
    }

    [Fact]
    public async Task Unreadable_files_are_left_in_place_and_reported_and_the_rest_still_loads()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        await store.CreateAsync(Record("good"));
        var volumes = _dir.Combine(".mooring", "volumes");
        await File.WriteAllTextAsync(Path.Join(volumes, "torn.json"), "{\"version\":1,\"name\":\"to");
        await File.WriteAllTextAsync(Path.Join(volumes, "liar.json"), "{\"version\":1,\"name\":\"other\",\"createdAt\":\"2024-01-01T00:00:00Z\"}");
        await File.WriteAllTextAsync(Path.Join(volumes, ".0123.tmp"), "half a write");
        var logger = new CapturingLogger();

        var reopened = await VolumeStateStore.OpenAsync(_dir.Path, logger);

        Assert.Equal(["good"], reopened.List().Select(r => r.Name));
        Assert.Equal(["liar", "torn"], reopened.Unreadable.Select(u => u.Name));
        Assert.Equal(["good.json", "liar.json", "torn.json"], Directory.GetFiles(volumes, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.Contains("torn.json", StringComparison.Ordinal));
        Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.Contains("liar.json", StringComparison.Ordinal));

        // The unreadable names stay taken, across another load too.
        await Assert.ThrowsAsync<VolumeDriverException>(() => reopened.CreateAsync(Record("torn")));
        Assert.Equal(["liar", "torn"], (await VolumeStateStore.OpenAsync(_dir.Path)).Unreadable.Select(u => u.Name));
    }

    [Fact]
    public async Task A_relative_or_missing_data_root_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => VolumeStateStore.OpenAsync("relative/dir"));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => VolumeStateStore.OpenAsync(_dir.Combine("missing")));
    }

    [Fact]
    public async Task A_cancelled_create_records_nothing()
    {
        var store = await VolumeStateStore.OpenAsync(_dir.Path);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(Record("v"), cancelled.Token));

        Assert.False(store.TryGet("v", out _));
        StateFilesAssert.NothingWritten(store.Directory);
    }
}
