namespace Mooring.State.Tests;

/// <summary>
/// Mounts inside a volume: the mount table stops the delete first; when it cannot see the mount (a data root reached
/// through a symlink, or a mount made after the table was read), the walk itself refuses to cross it.
/// </summary>
public sealed class SafeDeleteMountTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SafeDeleteMountTests()
    {
        Root = _dir.Combine("root");
        Source = _dir.Combine("source");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Join(Source, "inner"));
        File.WriteAllText(Path.Join(Source, "inner", "precious"), "keep me");
    }

    private string Root { get; }

    /// <summary>A directory on the same device as the volume, bind-mounted into it.</summary>
    private string Source { get; }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_bind_mount_on_the_same_device_inside_the_volume_is_refused()
    {
        var volume = Path.Join(Root, "vol");
        var mountPoint = Path.Join(volume, "a", "bound");
        Directory.CreateDirectory(mountPoint);
        Mounts.Bind(Source, mountPoint);
        try
        {
            var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

            Assert.Contains("volume 'vol'", ex.Message);
            Assert.Contains(mountPoint, ex.Message);
            Assert.Equal("keep me", File.ReadAllText(Path.Join(Source, "inner", "precious")));
        }
        finally
        {
            Mounts.Unmount(mountPoint);
        }
    }

    [Theory]
    [InlineData("bind")]
    [InlineData("tmpfs")]
    public async Task A_mount_the_mount_table_does_not_show_stops_the_walk(string kind)
    {
        // The table lists the mount under the real path; the caller named the volume through a symlinked data root,
        // so only the walk's own statx check (device, mount ID, mount-root attribute) stands between it and the mount.
        var volume = Path.Join(Root, "vol");
        var mountPoint = Path.Join(volume, "a", "mnt");
        Directory.CreateDirectory(mountPoint);
        File.WriteAllText(Path.Join(volume, "a", "beside"), "volume data");
        var linkedRoot = _dir.Combine("linked-root");
        File.CreateSymbolicLink(linkedRoot, Root);
        if (kind == "bind")
        {
            Mounts.Bind(Source, mountPoint);
        }
        else
        {
            Mounts.MountTmpfs(mountPoint);
            Directory.CreateDirectory(Path.Join(mountPoint, "inner"));
            File.WriteAllText(Path.Join(mountPoint, "inner", "precious"), "keep me");
        }

        try
        {
            var ex = await Assert.ThrowsAsync<VolumeDriverException>(
                () => SafeDelete.DeleteDirectoryAsync(Path.Join(linkedRoot, "vol"), linkedRoot, "vol"));

            Assert.Contains("volume 'vol'", ex.Message);
            Assert.Contains("is a mount point", ex.Message);
            Assert.Contains("a/mnt", ex.Message);
            Assert.Equal("keep me", File.ReadAllText(Path.Join(mountPoint, "inner", "precious")));
        }
        finally
        {
            Mounts.Unmount(mountPoint);
        }

        Assert.Equal("keep me", File.ReadAllText(Path.Join(Source, "inner", "precious")));
        Assert.True(await SafeDelete.DeleteDirectoryAsync(Path.Join(linkedRoot, "vol"), linkedRoot, "vol"));
        Assert.False(Directory.Exists(volume));
    }
}
