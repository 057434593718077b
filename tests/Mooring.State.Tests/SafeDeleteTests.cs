namespace Mooring.State.Tests;

public sealed class SafeDeleteTests : IDisposable
{
    private readonly TempDir _dir = new();

    public SafeDeleteTests()
    {
        Root = _dir.Sub("root");
        Outside = _dir.Sub("outside");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Join(Outside, "precious"), "keep me");
    }

    private string Root { get; }

    private string Outside { get; }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Deletes_a_tree_but_only_unlinks_symlinks_that_lead_outside()
    {
        var volume = Path.Join(Root, "vol");
        Directory.CreateDirectory(Path.Join(volume, "a", "b"));
        File.WriteAllText(Path.Join(volume, "a", "b", "file"), "x");
        File.CreateSymbolicLink(Path.Join(volume, "a", "to-outside-dir"), Outside);
        File.CreateSymbolicLink(Path.Join(volume, "to-outside-file"), Path.Join(Outside, "precious"));
        File.CreateSymbolicLink(Path.Join(volume, "dangling"), "/nonexistent/x");

        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

        Assert.False(Directory.Exists(volume));
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
        Assert.True(Directory.Exists(Root));
    }

    [Fact]
    public async Task A_missing_directory_is_nothing_to_do()
        => Assert.False(await SafeDelete.DeleteDirectoryAsync(Path.Join(Root, "never"), Root));

    [Fact]
    public async Task A_volume_directory_that_is_itself_a_symlink_loses_only_the_link()
    {
        var link = Path.Join(Root, "vol");
        File.CreateSymbolicLink(link, Outside);

        Assert.True(await SafeDelete.DeleteDirectoryAsync(link, Root));

        Assert.False(File.Exists(link) || Directory.Exists(link));
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("vol/../../outside")]
    [InlineData("")]
    [InlineData("..")]
    public async Task Paths_outside_the_root_are_refused(string relative)
    {
        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(Path.Join(Root, relative), Root, "v"));

        Assert.Contains("not inside the data root", ex.Message);
        Assert.Contains("volume 'v'", ex.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
        Assert.True(Directory.Exists(Root));
    }

    [Fact]
    public async Task A_path_with_a_nul_or_a_relative_path_is_refused()
    {
        var nul = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(Path.Join(Root, "a\0b"), Root));
        var relative = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync("outside", Root));

        Assert.Contains("NUL", nul.Message);
        Assert.Contains("absolute", relative.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
    }

    [Fact]
    public async Task A_sibling_sharing_the_roots_prefix_is_outside()
    {
        var sibling = Root + "x";
        Directory.CreateDirectory(sibling);

        await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(sibling, Root));

        Assert.True(Directory.Exists(sibling));
    }

    [Fact]
    public async Task A_path_through_a_symlinked_parent_is_refused()
    {
        File.CreateSymbolicLink(Path.Join(Root, "link"), _dir.Path);

        var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(Path.Join(Root, "link", "outside"), Root));

        Assert.Contains("symbolic link", ex.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
    }

    [Fact]
    public async Task A_mounted_directory_is_refused_and_nothing_is_deleted()
    {
        var volume = Path.Join(Root, "vol");
        Mounts.MountTmpfs(volume);
        try
        {
            File.WriteAllText(Path.Join(volume, "data"), "on the mount");

            var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

            Assert.Contains("volume 'vol'", ex.Message);
            Assert.Contains("still mounted", ex.Message);
            Assert.Equal("on the mount", File.ReadAllText(Path.Join(volume, "data")));
        }
        finally
        {
            Mounts.Unmount(volume);
        }
    }

    [Fact]
    public async Task A_directory_with_a_mount_below_it_is_refused_and_nothing_is_deleted()
    {
        var volume = Path.Join(Root, "vol");
        var inner = Path.Join(volume, "deep", "mnt");
        Directory.CreateDirectory(inner);
        File.WriteAllText(Path.Join(volume, "beside"), "beside the mount");
        Mounts.MountTmpfs(inner);
        try
        {
            File.WriteAllText(Path.Join(inner, "data"), "on the mount");

            var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(volume, Root));

            Assert.Contains(inner, ex.Message);
            Assert.Equal("on the mount", File.ReadAllText(Path.Join(inner, "data")));
            Assert.Equal("beside the mount", File.ReadAllText(Path.Join(volume, "beside")));
        }
        finally
        {
            Mounts.Unmount(inner);
        }

        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root));
        Assert.False(Directory.Exists(volume));
    }
}
