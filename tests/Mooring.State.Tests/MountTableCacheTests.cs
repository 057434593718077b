namespace Mooring.State.Tests;

/// <summary>
/// The cached mount table is never older than the call: a mount or unmount made after the table was first read is
/// seen by the next <see cref="MountTableCache.Current"/>, and nothing is read again while the table stays the same.
/// </summary>
public sealed class MountTableCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MountTableCache _cache = new();

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_mount_and_an_unmount_after_the_first_read_are_seen()
    {
        var target = _dir.Combine("mnt");
        Directory.CreateDirectory(target);
        Assert.False(_cache.Current().IsMountPoint(target));

        Mounts.MountTmpfs(target);
        try
        {
            Assert.True(_cache.Current().IsMountPoint(target));
            Assert.Equal("tmpfs", _cache.Current().MountsAtOrBelow(_dir.Path).Single().FileSystemType);
        }
        finally
        {
            Mounts.Unmount(target);
        }

        Assert.False(_cache.Current().IsMountPoint(target));
    }

    [Fact]
    public void A_mount_below_the_first_read_directory_is_seen_by_the_check_a_Remove_makes()
    {
        var volume = _dir.Combine("volume");
        var inner = Path.Join(volume, "a", "b");
        Directory.CreateDirectory(inner);
        Assert.Empty(_cache.Current().MountsAtOrBelow(volume));

        Mounts.Bind(_dir.Path, inner);
        try
        {
            Assert.Equal(inner, _cache.Current().MountsAtOrBelow(volume).Single().MountPoint);
        }
        finally
        {
            Mounts.Unmount(inner);
        }
    }

    [Fact]
    public void An_unchanged_table_is_not_read_again()
    {
        _ = _cache.Current();
        for (var i = 0; i < 1000; i++)
        {
            _ = _cache.Current();
        }

        // Mounts elsewhere on the machine (other tests, dockerd) change the table too, so allow a few reads; reading on
        // every call would make 1001.
        Assert.InRange(_cache.Reads, 1, 10);
    }

    [Fact]
    public void A_table_larger_than_the_first_buffer_is_read_whole()
    {
        // 120 mount lines of ~150 bytes each are more than the 16 KiB first buffer.
        var targets = Enumerable.Range(0, 120).Select(i => _dir.Combine($"m{i:D3}-{new string('x', 60)}")).ToList();
        _ = _cache.Current();
        foreach (var target in targets)
        {
            Mounts.MountTmpfs(target);
        }

        try
        {
            Assert.Equal(targets, _cache.Current().MountsAtOrBelow(_dir.Path).Select(e => e.MountPoint).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var target in targets)
            {
                Mounts.Unmount(target);
            }
        }
    }
}
