using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Mooring.Oci.Archives;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class RootfsFlattenerTests
{
    private sealed record Item(TarEntryType Type, string Name, string? Content = null, string? Link = null);

    private static string WriteLayer(string path, bool gzip, params Item[] items)
    {
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var item in items)
        {
            var entry = new PaxTarEntry(item.Type, item.Name);
            if (item.Link is not null)
            {
                entry.LinkName = item.Link;
            }

            if (item.Content is not null)
            {
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(item.Content));
            }

            entry.Mode = item.Type == TarEntryType.Directory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
            writer.WriteEntry(entry);
        }

        return path;
    }

    private static Item Dir(string name) => new(TarEntryType.Directory, name);

    private static Item File_(string name, string content = "x") => new(TarEntryType.RegularFile, name, content);

    private static Item Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name, Link: target);

    private static Item HardLink(string name, string target) => new(TarEntryType.HardLink, name, Link: target);

    [Fact]
    public async Task Whiteouts_and_opaque_directories_hide_lower_layers_only()
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        await RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("1.tar.gz"), true,
            Dir("./"), File_("./a", "a1"), File_("b", "b1"), Dir("d/"), File_("d/x"), File_("d/y"), Dir("o/"), File_("o/p"), Dir("o/q/"), File_("o/q/r"),
            Dir("gone/"), File_("gone/deep")), root);
        await RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("2.tar"), false,
            File_(".wh.a", ""), File_("d/.wh.x", ""), Dir("o/"), File_("o/new", "n"), File_("o/.wh..wh..opq", ""), File_(".wh.gone", ""),
            File_("b", "b2"), File_(".wh.never-existed", "")), root);

        Assert.False(File.Exists(Path.Combine(root, "a")));
        Assert.Equal("b2", File.ReadAllText(Path.Combine(root, "b")));
        Assert.False(File.Exists(Path.Combine(root, "d", "x")));
        Assert.True(File.Exists(Path.Combine(root, "d", "y")));
        // Opaque: lower content gone, this layer's content kept even though the marker comes after it.
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Combine(root, "o")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(root, "gone")));
        // No whiteout file is ever materialised.
        Assert.Empty(Directory.EnumerateFileSystemEntries(root, ".wh.*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Modes_symlinks_and_hard_links_are_recreated()
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        var layer = dir.Combine("l.tar");
        using (var file = File.Create(layer))
        using (var writer = new TarWriter(file, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "bin/tool") { Mode = (UnixFileMode)0b111_101_101, DataStream = new MemoryStream("#!"u8.ToArray()) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "bin/alias") { LinkName = "tool" });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.HardLink, "bin/copy") { LinkName = "bin/tool" });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Fifo, "run/fifo"));
        }

        await RootfsFlattener.ApplyLayerAsync(layer, root);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(root, "bin", "tool")));
        Assert.Equal("tool", new FileInfo(Path.Combine(root, "bin", "alias")).LinkTarget);
        Assert.Equal("#!", File.ReadAllText(Path.Combine(root, "bin", "copy")));
        Assert.False(File.Exists(Path.Combine(root, "run", "fifo")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc/abs")]
    [InlineData("./../escape")]
    public async Task Path_escapes_are_refused(string name)
    {
        using var dir = new TempDirectory();
        var e = await Assert.ThrowsAsync<OciException>(() =>
            RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("l.tar.gz"), true, File_(name, "pwned")), dir.Combine("root")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains(name, e.Message);
        Assert.False(File.Exists(dir.Combine("escape")));
        Assert.False(File.Exists("/etc/abs"));
    }

    [Theory]
    [InlineData("OUTSIDE")]      // absolute target outside the root
    [InlineData("../outside")]   // relative target climbing out
    [InlineData(".")]            // even a harmless-looking link is not written through
    public async Task Writing_through_a_symlink_is_refused(string target)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("outside"));
        target = target == "OUTSIDE" ? dir.Combine("outside") : target;
        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(
            WriteLayer(dir.Combine("l.tar"), false, Symlink("evil", target), File_("evil/pwned", "pwned")), dir.Combine("root")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Contains("symbolic link", e.Message);
        Assert.False(File.Exists(dir.Combine("outside", "pwned")));
    }

    [Fact]
    public async Task A_symlink_from_a_lower_layer_cannot_be_used_to_delete_or_write_outside()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("outside"));
        File.WriteAllText(dir.Combine("outside", "victim"), "keep");
        File.WriteAllText(dir.Combine("outside", "target"), "keep");
        var root = dir.Combine("root");
        await RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("1.tar"), false,
            Symlink("s", dir.Combine("outside")), Symlink("f", dir.Combine("outside", "target"))), root);

        var e = await Assert.ThrowsAsync<OciException>(() =>
            RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("2.tar"), false, File_("s/.wh.victim", "")), root));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        e = await Assert.ThrowsAsync<OciException>(() =>
            RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("3.tar"), false, File_("s/.wh..wh..opq", "")), root));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.Equal("keep", File.ReadAllText(dir.Combine("outside", "victim")));

        // A regular file over an existing symlink replaces the link; it does not write to the link's target.
        await RootfsFlattener.ApplyLayerAsync(WriteLayer(dir.Combine("4.tar"), false, File_("f", "new")), root);
        Assert.Equal("keep", File.ReadAllText(dir.Combine("outside", "target")));
        Assert.Null(new FileInfo(Path.Combine(root, "f")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(Path.Combine(root, "f")));
    }

    [Fact]
    public async Task Hard_links_must_point_at_files_inside_the_root()
    {
        using var dir = new TempDirectory();
        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(
            WriteLayer(dir.Combine("l.tar"), false, HardLink("passwd", "../../../../etc/passwd")), dir.Combine("root")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);

        e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(
            WriteLayer(dir.Combine("l2.tar"), false, Symlink("link", "/etc/passwd"), HardLink("passwd", "link")), dir.Combine("root2")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.False(File.Exists(dir.Combine("root2", "passwd")));
    }

    [Fact]
    public async Task A_corrupt_archive_is_an_error_not_a_crash()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.tar.gz");
        var junk = new byte[4096];
        new Random(1).NextBytes(junk);
        junk[0] = 0x1f;
        junk[1] = 0x8b;
        File.WriteAllBytes(path, junk);
        var e = await Assert.ThrowsAsync<OciException>(() => RootfsFlattener.ApplyLayerAsync(path, dir.Combine("root")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
    }
}
