namespace Mooring.State.Tests;

/// <summary>
/// The primitives used together the way the template driver uses them: a tmpfs per volume stands in for the backend,
/// mounted on the first reference and unmounted on the last.
/// </summary>
public sealed class DriverPatternTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        foreach (var entry in MountTable.ReadAsync().GetAwaiter().GetResult().MountsAtOrBelow(_dir.Path).Reverse())
        {
            Mounts.Unmount(entry.MountPoint);
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Mount_counting_remove_safety_and_restart_reconcile()
    {
        var driver = await MiniDriver.StartAsync(_dir.Path);
        await driver.CreateAsync("v");

        var path = await driver.MountAsync("v", "id1");
        await driver.MountAsync("v", "id1"); // docker cp: same ID again
        await driver.UnmountAsync("v", "id1");
        Assert.True((await MountTable.ReadAsync()).IsMountPoint(path));
        var inUse = await Assert.ThrowsAsync<VolumeDriverException>(() => driver.RemoveAsync("v"));
        Assert.Equal("volume 'v' is in use: it is still mounted", inUse.Message);
        await driver.UnmountAsync("v", "id1");
        Assert.False((await MountTable.ReadAsync()).IsMountPoint(path));
        await driver.UnmountAsync("v", "id1"); // a repeated Unmount is harmless

        // The plugin dies with the volume mounted; on restart the ledger and the kernel agree.
        await driver.MountAsync("v", "id2");
        driver = await MiniDriver.StartAsync(_dir.Path);
        Assert.Equal(["v"], driver.LastReconcile.Confirmed);
        Assert.True(driver.LastReconcile.IsClean);

        // The host reboots (the mount vanishes) and a stray mount is left where volume "w" would be mounted.
        await driver.CreateAsync("w");
        Mounts.Unmount(path);
        Mounts.MountTmpfs(driver.MountPathOf("w"));
        driver = await MiniDriver.StartAsync(_dir.Path);
        Assert.Equal("v", Assert.Single(driver.LastReconcile.Cleared).Volume);
        Assert.Equal("w", Assert.Single(driver.LastReconcile.Orphans).Volume);
        Assert.Empty((await MountTable.ReadAsync()).MountsAtOrBelow(Path.Join(_dir.Path, "mnt")));

        // Nothing counted any more: both volumes can be removed, their data goes, the state files go.
        await driver.RemoveAsync("v");
        await driver.RemoveAsync("w");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(_dir.Path, "data")));
        Assert.Empty((await VolumeStateStore.OpenAsync(_dir.Path)).List());
    }

    private sealed class MiniDriver
    {
        private readonly string _root;
        private readonly VolumeStateStore _store;
        private readonly MountLedger _ledger;
        private readonly VolumeLocks _locks = new();

        private MiniDriver(string root, VolumeStateStore store, MountLedger ledger)
        {
            _root = root;
            _store = store;
            _ledger = ledger;
        }

        public MountReconcileResult LastReconcile { get; private set; } = null!;

        // What IPluginStartup.StartAsync does in the template: load, reconcile, act on the result.
        public static async Task<MiniDriver> StartAsync(string root)
        {
            var driver = new MiniDriver(root, await VolumeStateStore.OpenAsync(root), await MountLedger.OpenAsync(root));
            driver.LastReconcile = await driver._ledger.ReconcileAsync(driver.MountPathOf, driver._store.List().Select(r => r.Name));
            foreach (var orphan in driver.LastReconcile.Orphans.Where(o => o.Volume is not null))
            {
                Mounts.Unmount(orphan.MountPoint);
            }

            return driver;
        }

        public string MountPathOf(string volume) => Path.Join(_root, "mnt", volume);

        public async Task CreateAsync(string name)
        {
            await using var held = await _locks.AcquireAsync(name);
            Directory.CreateDirectory(Path.Join(_root, "data", name));
            await _store.CreateAsync(new VolumeRecord(name, DateTimeOffset.UtcNow));
        }

        public async Task<string> MountAsync(string name, string id)
        {
            await using var held = await _locks.AcquireAsync(name);
            if (!_ledger.IsMounted(name))
            {
                Mounts.MountTmpfs(MountPathOf(name)); // the backend: only on the first reference
            }

            await _ledger.AcquireAsync(name, id); // counted only once the mount succeeded
            return MountPathOf(name);
        }

        public async Task UnmountAsync(string name, string id)
        {
            await using var held = await _locks.AcquireAsync(name);
            var wasMounted = _ledger.IsMounted(name);
            if (await _ledger.ReleaseAsync(name, id) == 0 && wasMounted)
            {
                Mounts.Unmount(MountPathOf(name)); // the last reference is gone
            }
        }

        public async Task RemoveAsync(string name)
        {
            await using var held = await _locks.AcquireAsync(name);
            if (_ledger.IsMounted(name))
            {
                throw VolumeDriverException.InUse(name);
            }

            await SafeDelete.DeleteDirectoryAsync(Path.Join(_root, "data", name), _root, name);
            await _store.DeleteAsync(name);
        }
    }
}
