using Microsoft.Extensions.Logging;

namespace Mooring.State.Tests;

public sealed class MountLedgerTests : IDisposable
{
    private const string IdA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string IdB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_same_id_twice_then_one_release_leaves_one()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);

        Assert.Equal(1, await ledger.AcquireAsync("v", IdA));
        Assert.Equal(2, await ledger.AcquireAsync("v", IdA)); // docker cp re-sends the container's ID
        Assert.Equal(1, await ledger.ReleaseAsync("v", IdA));

        Assert.True(ledger.IsMounted("v"));
        Assert.Equal(1, ledger.GetMounts("v")[IdA]);
        Assert.Equal(0, await ledger.ReleaseAsync("v", IdA));
        Assert.False(ledger.IsMounted("v"));
        Assert.Empty(ledger.GetMounts("v"));
    }

    [Fact]
    public async Task Releasing_an_unknown_id_changes_nothing_and_is_logged_at_debug()
    {
        var logger = new CapturingLogger();
        var ledger = await MountLedger.OpenAsync(_dir.Path, logger);
        await ledger.AcquireAsync("v", IdA);

        Assert.Equal(1, await ledger.ReleaseAsync("v", IdB));
        Assert.Equal(0, await ledger.ReleaseAsync("never-mounted", IdA));

        Assert.Equal(1, ledger.GetTotal("v"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains(IdB, StringComparison.Ordinal));
        Assert.Equal(1, (await MountLedger.OpenAsync(_dir.Path)).GetTotal("v"));
    }

    [Fact]
    public async Task Counts_survive_reopening_and_a_volume_at_zero_leaves_no_file()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await ledger.AcquireAsync("v", IdA);
        await ledger.AcquireAsync("v", IdA);
        await ledger.AcquireAsync("v", IdB);
        await ledger.AcquireAsync("w", IdA);
        await ledger.ReleaseAsync("w", IdA);

        var reopened = await MountLedger.OpenAsync(_dir.Path);

        Assert.Equal(3, reopened.GetTotal("v"));
        Assert.Equal(2, reopened.GetMounts("v")[IdA]);
        Assert.Equal(1, reopened.GetMounts("v")[IdB]);
        Assert.Equal(0, reopened.GetTotal("w"));
        Assert.Equal(["v"], reopened.MountedVolumes());
        Assert.Equal(["v.json"], Directory.GetFiles(reopened.Directory, "*.json").Select(Path.GetFileName));
    }

    [Fact]
    public async Task Forget_drops_every_count()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await ledger.AcquireAsync("v", IdA);
        await ledger.AcquireAsync("v", IdB);

        Assert.Equal(2, await ledger.ForgetAsync("v"));

        Assert.Equal(0, ledger.GetTotal("v"));
        Assert.Equal(0, (await MountLedger.OpenAsync(_dir.Path)).GetTotal("v"));
    }

    [Fact]
    public async Task Sixty_four_concurrent_tasks_leave_consistent_totals()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        string[] volumes = ["shared", "v1", "v2", "v3"];

        // Each task mounts its ID on "shared" and on one other volume three times, then releases once:
        // expected totals are exact, and any lost update would show.
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var id = $"id-{i}";
            var own = volumes[1 + (i % 3)];
            for (var round = 0; round < 3; round++)
            {
                await ledger.AcquireAsync("shared", id);
                await ledger.AcquireAsync(own, id);
            }

            await ledger.ReleaseAsync("shared", id);
            await ledger.ReleaseAsync(own, id);
            await ledger.ReleaseAsync(own, "unknown-" + id);
        }));
        await Task.WhenAll(tasks);

        var counts = new Dictionary<string, int> { ["shared"] = 64 * 2, ["v1"] = 22 * 2, ["v2"] = 21 * 2, ["v3"] = 21 * 2 };
        foreach (var (volume, expected) in counts)
        {
            Assert.Equal(expected, ledger.GetTotal(volume));
        }

        // One open ledger per directory, as in a plugin: the first is closed before the second opens.
        await ledger.DisposeAsync();
        await using var reopened = await MountLedger.OpenAsync(_dir.Path);
        foreach (var (volume, expected) in counts)
        {
            Assert.Equal(expected, reopened.GetTotal(volume));
        }

        // And all the way down to zero, concurrently.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var id = $"id-{i}";
            var own = volumes[1 + (i % 3)];
            for (var round = 0; round < 2; round++)
            {
                await reopened.ReleaseAsync("shared", id);
                await reopened.ReleaseAsync(own, id);
            }
        })));
        Assert.Empty(reopened.MountedVolumes());
        await reopened.DisposeAsync();
        Assert.Empty(Directory.GetFiles(ledger.Directory, "*.json"));
    }

    [Fact]
    public async Task An_unreadable_ledger_file_is_left_in_place_and_reported()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await ledger.AcquireAsync("v", IdA);
        var bad = Path.Join(ledger.Directory, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"version\":1,\"name\":\"bad\",\"mounts\":{\"x\":-3}}");
        var logger = new CapturingLogger();

        var reopened = await MountLedger.OpenAsync(_dir.Path, logger);

        Assert.Equal(1, reopened.GetTotal("v"));
        Assert.Equal(0, reopened.GetTotal("bad"));
        var unreadable = Assert.Single(reopened.Unreadable);
        Assert.Equal(("bad", bad, "holds a mount count that is not positive"), (unreadable.Name, unreadable.Path, unreadable.Reason));
        Assert.Equal(["bad.json", "v.json"], Directory.GetFiles(ledger.Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains(logger.AtLeast(LogLevel.Error), m => m.Contains("bad.json", StringComparison.Ordinal));
    }
}
