namespace Mooring.State.Tests;

public sealed class SafeDeleteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SafeDeleteTests()
    {
        Root = _dir.Combine("root");
        Outside = _dir.Combine("outside");
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
    public async Task Symlinks_to_a_sibling_volume_remove_only_the_links()
    {
        var volume = Path.Join(Root, "vol");
        var sibling = Path.Join(Root, "sibling");
        Directory.CreateDirectory(Path.Join(volume, "a", "b"));
        Directory.CreateDirectory(Path.Join(sibling, "data"));
        File.WriteAllText(Path.Join(sibling, "data", "file"), "the sibling's");
        File.CreateSymbolicLink(Path.Join(volume, "to-sibling"), sibling);
        File.CreateSymbolicLink(Path.Join(volume, "a", "b", "to-sibling-data"), Path.Join(sibling, "data"));
        File.CreateSymbolicLink(Path.Join(volume, "a", "to-sibling-file"), Path.Join(sibling, "data", "file"));
        File.CreateSymbolicLink(Path.Join(volume, "a", "relative"), "../../sibling/data");

        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

        Assert.False(Directory.Exists(volume));
        Assert.Equal("the sibling's", File.ReadAllText(Path.Join(sibling, "data", "file")));
    }

    [Fact]
    public async Task A_tree_deeper_than_PATH_MAX_is_deleted_completely()
    {
        // 60 levels of 100-byte names: ~6 KB of path, beyond PATH_MAX (4096). Built by a shell with relative chdir,
        // as a container would, because no absolute path reaches the bottom.
        var volume = Path.Join(Root, "vol");
        Directory.CreateDirectory(volume);
        Mounts.Run(
            "bash",
            "-c",
            """
            set -e; cd "$1"; name=$(printf 'd%.0s' $(seq 100))
            for i in $(seq 60); do mkdir "$name"; cd "$name"; echo "level $i" > file; done
            ln -s / to-root
            """,
            "deep-tree",
            volume);
        Assert.True(Path.Join(volume, string.Concat(Enumerable.Repeat(new string('d', 100) + "/", 60))).Length > 4096);

        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

        Assert.False(Directory.Exists(volume));
        Assert.Equal("keep me", File.ReadAllText(Path.Join(Outside, "precious")));
    }

    [Fact]
    public async Task Names_that_are_not_UTF8_are_deleted()
    {
        // File names are bytes; a walk that decodes and re-encodes them cannot find these again.
        var volume = Path.Join(Root, "vol");
        Directory.CreateDirectory(volume);
        Mounts.Run("bash", "-c", """set -e; cd "$1"; mkdir $'dir\xff'; touch $'dir\xff/file\xfe' $'\xc3'""", "non-utf8", volume);

        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

        Assert.False(Directory.Exists(volume));
    }

    [Fact]
    public async Task An_entry_that_cannot_be_removed_is_named_with_the_volume_and_the_cause()
    {
        var volume = Path.Join(Root, "vol");
        Directory.CreateDirectory(Path.Join(volume, "a"));
        var locked = Path.Join(volume, "a", "locked");
        File.WriteAllText(locked, "immutable");
        Mounts.Run("chattr", "+i", locked);
        try
        {
            var ex = await Assert.ThrowsAsync<VolumeDriverException>(() => SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));

            Assert.Contains("volume 'vol'", ex.Message);
            Assert.Contains("'a/locked'", ex.Message);
            Assert.Contains("Operation not permitted", ex.Message);
            Assert.Equal("immutable", File.ReadAllText(locked));
        }
        finally
        {
            Mounts.Run("chattr", "-i", locked);
        }

        // Once the cause is gone, the same call finishes the job.
        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));
        Assert.False(Directory.Exists(volume));
    }

    [Fact]
    public async Task A_cancelled_delete_stops_and_can_be_run_again()
    {
        var volume = Path.Join(Root, "vol");
        Directory.CreateDirectory(Path.Join(volume, "a"));
        File.WriteAllText(Path.Join(volume, "a", "file"), "x");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SafeDelete.DeleteDirectoryAsync(volume, Root, "vol", cancelled.Token));

        Assert.True(File.Exists(Path.Join(volume, "a", "file")));
        Assert.True(await SafeDelete.DeleteDirectoryAsync(volume, Root, "vol"));
        Assert.False(Directory.Exists(volume));
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
