using Mooring.Oci.Archives;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

/// <summary>
/// Layers crafted to attack the machine that flattens them. Each test keeps a sibling directory next to the rootfs
/// (files at mode 0600, like a docker config.json) and asserts that nothing in it changed mode, owner or content.
/// </summary>
public sealed class CraftedLayerTests : IDisposable
{
    private const int Setuid0755 = 0b100_111_101_101; // 04755
    private const int Mode0600 = 0b110_000_000;

    private readonly TempDirectory _dir = new("mooring-crafted");
    private readonly IReadOnlyList<string> _outsideBefore;

    public CraftedLayerTests()
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Secret, "registry password");
        File.SetUnixFileMode(Secret, (UnixFileMode)Mode0600);
        File.WriteAllText(Path.Combine(Outside, "b"), "b");
        File.SetUnixFileMode(Path.Combine(Outside, "b"), (UnixFileMode)Mode0600);
        Directory.CreateDirectory(Path.Combine(Outside, "sub"));
        File.SetUnixFileMode(Path.Combine(Outside, "sub"), (UnixFileMode)0b111_000_000);
        _outsideBefore = TreeSnapshot.Take(Outside);
    }

    private string Root => _dir.Combine("root");

    private string Outside => _dir.Combine("outside");

    private string Secret => Path.Combine(Outside, "secret");

    public void Dispose() => _dir.Dispose();

    private void AssertOutsideUnchanged()
    {
        Assert.Equal((UnixFileMode)Mode0600, File.GetUnixFileMode(Secret));
        Assert.Equal(_outsideBefore, TreeSnapshot.Take(Outside));
    }

    private async Task<OciException> RefusedAsync(CraftedLayer layer, string name = "l.tar")
    {
        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(layer.WriteTar(_dir.Combine(name)), Root));
        AssertOutsideUnchanged();
        return e;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_directory_replaced_by_a_symlink_in_the_same_layer_does_not_pass_its_mode_to_the_target(bool absolute)
    {
        // The issue's exploit: d/ (04755) is created, then replaced by a link; the deferred chmod must not follow it.
        var e = await RefusedAsync(new CraftedLayer()
            .Dir("d/", Setuid0755)
            .Symlink("d", absolute ? Secret : "../outside/secret"));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'d'", e.Message);
    }

    [Fact]
    public async Task A_parent_replaced_by_a_symlink_does_not_pass_a_nested_mode_to_the_target()
    {
        // Nested: only a/b/ is named (a/ is implied); then a becomes a link to the outside directory, which has a 'b'.
        var e = await RefusedAsync(new CraftedLayer()
            .Dir("a/b/", Setuid0755)
            .Symlink("a", Outside));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'a'", e.Message);
    }

    [Theory]
    [InlineData("file-then-dir")]
    [InlineData("dir-then-file")]
    [InlineData("file-then-symlink")]
    [InlineData("symlink-then-dir")]
    public async Task A_layer_that_names_one_path_twice_with_different_types_is_refused(string order)
    {
        var layer = new CraftedLayer();
        _ = order switch
        {
            "file-then-dir" => layer.File("x", "1").Dir("x/"),
            "dir-then-file" => layer.Dir("x/").File("x/inner").File("x", "1"),
            "file-then-symlink" => layer.File("x", "1").Symlink("x", Secret),
            _ => layer.Symlink("x", Outside).Dir("x/"),
        };

        var e = await RefusedAsync(layer, "sha256-0123abcd");

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("'x'", e.Message);
        Assert.Contains("sha256-0123abcd", e.Message);
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public async Task Naming_one_path_twice_with_the_same_type_is_fine_and_the_last_entry_wins()
    {
        await RootfsFlattener.ApplyLayerAsync(new CraftedLayer().Dir("d/").Dir("d/", 0b111_000_000).File("f", "1").File("f", "2").WriteTar(_dir.Combine("l.tar")), Root);

        Assert.Equal("2", File.ReadAllText(Path.Combine(Root, "f")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(Root, "d")));
        AssertOutsideUnchanged();
    }

    [Fact]
    public void A_deferred_mode_is_not_applied_through_a_symlink_in_any_component()
    {
        // The flattener's last line of defence, tested on its own: by the time modes are applied, root/a is a link to the
        // outside directory (which has a 'b'), and root/c is a link to the secret file.
        Directory.CreateDirectory(Root);
        File.CreateSymbolicLink(Path.Combine(Root, "a"), Outside);
        File.CreateSymbolicLink(Path.Combine(Root, "c"), Secret);

        Assert.False(NoFollowFileSystem.TrySetDirectoryMode(Root, ["a", "sub"], (UnixFileMode)Setuid0755));
        Assert.False(NoFollowFileSystem.TrySetDirectoryMode(Root, ["a"], (UnixFileMode)Setuid0755));
        Assert.False(NoFollowFileSystem.TrySetDirectoryMode(Root, ["c"], (UnixFileMode)Setuid0755));
        AssertOutsideUnchanged();

        // A real directory still gets its mode.
        Directory.CreateDirectory(Path.Combine(Root, "real", "deep"));
        Assert.True(NoFollowFileSystem.TrySetDirectoryMode(Root, ["real", "deep"], (UnixFileMode)0b111_000_000));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(Root, "real", "deep")));
    }

    [Fact]
    public async Task A_gzip_bomb_is_stopped_by_the_compression_ratio_with_little_written()
    {
        // 256 MiB of zeros compresses to about 256 KiB: a ratio near 1000, ten times the default limit.
        var path = new CraftedLayer().Dir("d/").Zeros("d/bomb", 256L << 20).WriteGzip(_dir.Combine("bomb.tar.gz"));
        Assert.True(new FileInfo(path).Length < 1 << 20);

        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(path, Root, LayerLimits.Default, "sha256:b0mb"));

        Assert.Equal(OciErrorCodes.LayerTooLarge, e.Code);
        Assert.Contains("sha256:b0mb", e.Message);
        Assert.Contains("MaxCompressionRatio", e.Message);
        // Stopped at the ratio (about 100 x 256 KiB = 25 MiB), long before 256 MiB reached the disk.
        Assert.True(TreeSnapshot.DiskUseKiB(Root) < 64 * 1024, $"{TreeSnapshot.DiskUseKiB(Root)} KiB written");
        AssertOutsideUnchanged();
    }

    [Fact]
    public async Task A_layer_larger_than_the_size_limit_is_stopped_at_the_limit()
    {
        // Random bytes do not compress, so only the total-size limit can stop this one.
        var noise = new byte[3 << 20];
        new Random(7).NextBytes(noise);
        var path = new CraftedLayer().File("big", noise).WriteGzip(_dir.Combine("big.tar.gz"));
        var limits = new LayerLimits { MaxExpandedBytes = 1 << 20 };

        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(path, Root, limits));

        Assert.Equal(OciErrorCodes.LayerTooLarge, e.Code);
        Assert.Contains("MaxExpandedBytes", e.Message);
        Assert.True(new FileInfo(Path.Combine(Root, "big")) is not { Exists: true } big || big.Length <= 1 << 20);
        AssertOutsideUnchanged();

        // The same layer within a larger limit is fine, and reports what it expanded to.
        var expanded = await RootfsFlattener.ApplyLayerAsync(path, _dir.Combine("root2"), new LayerLimits { MaxExpandedBytes = 8 << 20 });
        Assert.InRange(expanded, noise.Length, noise.Length + 64 * 1024);
    }

    [Fact]
    public async Task A_hard_link_fan_out_shares_one_inode_instead_of_copying_the_file()
    {
        // One 4 MiB file and 1000 hard links to it: copied, that is 4 GB from a layer of a few hundred KiB.
        var noise = new byte[4 << 20];
        new Random(3).NextBytes(noise);
        var layer = new CraftedLayer().Dir("data/").File("data/blob", noise);
        for (var i = 0; i < 1000; i++)
        {
            layer.HardLink($"data/link{i}", "data/blob");
        }

        // A limit below the copies' total: linking must not be charged as copying.
        var expanded = await RootfsFlattener.ApplyLayerAsync(layer.WriteTar(_dir.Combine("fan.tar")), Root, new LayerLimits { MaxExpandedBytes = 64 << 20 });

        var inode = TreeSnapshot.Inode(Path.Combine(Root, "data", "blob"));
        for (var i = 0; i < 1000; i += 111)
        {
            Assert.Equal(inode, TreeSnapshot.Inode(Path.Combine(Root, "data", $"link{i}")));
        }

        Assert.Equal(noise, File.ReadAllBytes(Path.Combine(Root, "data", "link999")));
        Assert.True(TreeSnapshot.DiskUseKiB(Root) < 8 * 1024, $"{TreeSnapshot.DiskUseKiB(Root)} KiB on disk");
        Assert.True(expanded < 8 << 20, $"{expanded} bytes charged");
        AssertOutsideUnchanged();
    }

    [Fact]
    public async Task A_hard_link_to_a_symlink_that_leads_outside_is_refused()
    {
        var e = await RefusedAsync(new CraftedLayer().Symlink("s", Secret).HardLink("h", "s"));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.False(File.Exists(Path.Combine(Root, "h")));
    }

    [Fact]
    public async Task Entries_written_through_a_symlink_an_earlier_entry_created_are_refused()
    {
        var e = await RefusedAsync(new CraftedLayer().Symlink("s", Outside).File("s/secret", "overwritten").Dir("s/sub/", Setuid0755));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public async Task Control_characters_in_entry_names_are_escaped_in_errors()
    {
        // An ANSI escape that would recolour the terminal, a carriage return that would overwrite the line, a forged
        // second log line and a right-to-left override.
        const string name = "evil\u001b[31m\r\nerror MOOR0000: fake\u202e/../x";
        var e = await RefusedAsync(new CraftedLayer(System.Formats.Tar.TarEntryFormat.Gnu).File(name));

        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c == '\u202e');
        Assert.Contains(@"evil\x1b[31m\x0d\x0aerror MOOR0000: fake\u202e/../x", e.Message);
    }

    [Fact]
    public async Task Control_characters_are_escaped_when_the_file_system_refuses_an_entry()
    {
        // A component longer than NAME_MAX: the file system's own error quotes the path.
        var name = "\u001b]0;pwned\u0007" + new string('a', 300);
        var e = await Assert.ThrowsAnyAsync<IOException>(() =>
            RootfsFlattener.ApplyLayerAsync(new CraftedLayer().File(name).WriteTar(_dir.Combine("l.tar")), Root));

        Assert.DoesNotContain(e.Message, char.IsControl);
        Assert.Contains(@"\x1b]0;pwned\x07", e.Message);
        AssertOutsideUnchanged();
    }
}
