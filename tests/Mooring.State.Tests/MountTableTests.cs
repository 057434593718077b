namespace Mooring.State.Tests;

public sealed class MountTableTests : IDisposable
{
    private const string Sample =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n" +
        "36 22 0:31 / /data rw,nosuid shared:5 master:1 - tmpfs tmpfs rw,size=1024k\n" +
        "37 36 0:32 / /data/with\\040space rw - tmpfs my\\040src rw\n" +
        "38 36 8:1 /srv/back\\134slash /data/tab\\011and\\012newline ro,relatime - ext4 /dev/sda1 rw\n" +
        "39 36 0:40 / /data/caf\\303\\251 rw - fuse.sshfs user@host:/x rw,user_id=0\n" +
        "garbage line\n" +
        "40 36 0:41 / /data/no-separator rw tmpfs tmpfs rw\n" +
        "\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parses_fields_optional_fields_and_octal_escapes()
    {
        var table = MountTable.Parse(Sample);

        Assert.Equal(5, table.Entries.Count);
        var data = table.Entries[1];
        Assert.Equal(new MountEntry(36, 22, "0:31", "/", "/data", "rw,nosuid", "tmpfs", "tmpfs", "rw,size=1024k"), data);
        Assert.Equal("/data/with space", table.Entries[2].MountPoint);
        Assert.Equal("my src", table.Entries[2].Source);
        Assert.Equal("/srv/back\\slash", table.Entries[3].Root);
        Assert.Equal("/data/tab\tand\nnewline", table.Entries[3].MountPoint);
        Assert.Equal("/data/café", table.Entries[4].MountPoint);
        Assert.Equal("fuse.sshfs", table.Entries[4].FileSystemType);
    }

    [Fact]
    public void Answers_mount_point_questions_on_normalized_paths()
    {
        var table = MountTable.Parse(Sample);

        Assert.True(table.IsMountPoint("/data"));
        Assert.True(table.IsMountPoint("/data/"));
        Assert.True(table.IsMountPoint("/data/x/../with space"));
        Assert.False(table.IsMountPoint("/data/with"));
        Assert.False(table.IsMountPoint("/dat"));
        Assert.False(table.IsMountPoint("/data/no-separator"));
        Assert.Equal(["/data", "/data/with space", "/data/tab\tand\nnewline", "/data/café"], table.MountsAtOrBelow("/data").Select(e => e.MountPoint));
        Assert.Empty(table.MountsAtOrBelow("/dat"));
        Assert.Single(table.MountsAtOrBelow("/data/with space"));
    }

    [Fact]
    public void Sees_a_real_tmpfs_mount_including_a_name_with_a_space()
    {
        var target = _dir.Combine("a dir");
        Mounts.MountTmpfs(target);
        try
        {
            var table = MountTable.Read();

            Assert.True(table.IsMountPoint(target));
            Assert.False(table.IsMountPoint(_dir.Path));
            Assert.Equal("tmpfs", table.MountsAtOrBelow(_dir.Path).Single().FileSystemType);
        }
        finally
        {
            Mounts.Unmount(target);
        }

        Assert.False(MountTable.Read().IsMountPoint(target));
    }
}
