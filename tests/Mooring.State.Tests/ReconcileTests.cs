namespace Mooring.State.Tests;

public sealed class ReconcileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reconcile_clears_vanished_mounts_keeps_live_ones_and_reports_orphans()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await ledger.AcquireAsync("live", "id1");
        await ledger.AcquireAsync("gone", "id2");
        await ledger.AcquireAsync("gone", "id2");
        await ledger.AcquireAsync("nomount", "id3");
        string? PathOf(string volume) => volume == "nomount" ? null : _dir.Combine("mnt", volume);

        string[] mounted = [_dir.Combine("mnt", "live"), _dir.Combine("mnt", "live", "inner"), _dir.Combine("mnt", "orphan"), _dir.Combine("other")];
        Directory.CreateDirectory(_dir.Combine("mnt", "gone"));
        var done = new List<string>();
        try
        {
            foreach (var path in mounted)
            {
                Mounts.MountTmpfs(path);
                done.Add(path);
            }

            var result = await ledger.ReconcileAsync(PathOf, ["live", "gone", "nomount", "orphan", "unmounted"]);

            var cleared = Assert.Single(result.Cleared);
            Assert.Equal("gone", cleared.Volume);
            Assert.Equal(_dir.Combine("mnt", "gone"), cleared.MountPath);
            Assert.Equal(2, cleared.Mounts["id2"]);
            Assert.Equal(["live"], result.Confirmed);
            Assert.Equal(["nomount"], result.Unverified);
            Assert.Equal(
                [(_dir.Combine("other"), (string?)null), (_dir.Combine("mnt", "orphan"), "orphan")],
                result.Orphans.Select(o => (o.MountPoint, o.Volume)));
            Assert.False(result.IsClean);
            Assert.Equal("tmpfs", result.Orphans[0].Entry.FileSystemType);

            Assert.Equal(0, ledger.GetTotal("gone"));
            Assert.Equal(1, ledger.GetTotal("live"));
            Assert.Equal(1, ledger.GetTotal("nomount"));
            Assert.Equal(0, (await MountLedger.OpenAsync(_dir.Path)).GetTotal("gone"));
        }
        finally
        {
            foreach (var path in Enumerable.Reverse(done))
            {
                Mounts.Unmount(path);
            }
        }
    }

    [Fact]
    public async Task Reconcile_of_an_agreeing_ledger_is_clean()
    {
        var ledger = await MountLedger.OpenAsync(_dir.Path);
        await ledger.AcquireAsync("v", "id");
        var table = MountTable.Parse($"1 0 0:1 / / rw - ext4 /dev/x rw\n2 1 0:2 / {_dir.Path} rw - tmpfs t rw\n3 2 0:3 / {_dir.Combine("v")} rw - tmpfs t rw\n");

        var result = await ledger.ReconcileAsync(v => _dir.Combine(v), mountTable: table);

        Assert.True(result.IsClean);
        Assert.Equal(["v"], result.Confirmed);
        Assert.Equal(1, ledger.GetTotal("v"));
    }
}
