using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Mooring.Oci.Archives;
using Mooring.Oci.Manifests;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class LayerBuilderTests
{
    [Fact]
    public async Task Same_directory_built_twice_gives_identical_bytes_and_digests()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var a = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("p", "rootfs"), dir.Combine("a.tar.gz"), DateTimeOffset.UnixEpoch);
        // Touch every file's mtime: the layer must not depend on it.
        foreach (var f in Directory.EnumerateFiles(dir.Combine("p", "rootfs"), "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(f).LinkTarget is null)
            {
                File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddDays(-3));
            }
        }

        var b = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("p", "rootfs"), dir.Combine("b.tar.gz"), DateTimeOffset.UnixEpoch);
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(a.DiffId, b.DiffId);
        Assert.Equal(a.Size, b.Size);
        Assert.Equal(File.ReadAllBytes(a.Path), File.ReadAllBytes(b.Path));
    }

    [Fact]
    public async Task Digests_are_of_the_compressed_file_and_of_the_uncompressed_tar()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var layer = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("p", "rootfs"), dir.Combine("l.tar.gz"), DateTimeOffset.UnixEpoch);
        var compressed = File.ReadAllBytes(layer.Path);
        Assert.Equal(compressed.Length, layer.Size);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(compressed)), layer.Digest);
        using var gz = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gz.CopyTo(tar);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray())), layer.DiffId);
        Assert.Equal(MediaTypes.DockerLayerGzip, layer.MediaType);
    }

    [Fact]
    public async Task Gzip_header_has_no_name_no_mtime_and_a_fixed_os_byte()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var layer = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("p", "rootfs"), dir.Combine("l.tar.gz"), DateTimeOffset.UnixEpoch);
        var header = File.ReadAllBytes(layer.Path)[..10];
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, header[..3]);
        Assert.Equal(0, header[3]);                      // FLG: no FNAME, FCOMMENT, FEXTRA
        Assert.Equal(new byte[4], header[4..8]);         // MTIME = 0
        Assert.Equal(255, header[9]);                    // OS = unknown, whatever zlib was built for
    }

    [Fact]
    public async Task Entries_are_sorted_owned_by_root_timestamped_and_keep_modes_and_links()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var when = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var layer = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("p", "rootfs"), dir.Combine("l.tar.gz"), when);
        var entries = ReadEntries(layer.Path);

        Assert.Equal(
            ["bin/", "bin/plugin", "bin/sh-link", "data/", "etc/", "etc/plugin.conf", "etc/random.bin", "etc/z-last.txt"],
            entries.Select(e => e.Name));
        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryFormat.Gnu, e.Format);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal("", ((GnuTarEntry)e).UserName);
            Assert.Equal("", ((GnuTarEntry)e).GroupName);
            Assert.Equal(when, e.ModificationTime);
        });
        Assert.Equal((UnixFileMode)0b111_101_101, entries.Single(e => e.Name == "bin/plugin").Mode);
        Assert.Equal((UnixFileMode)0b110_100_100, entries.Single(e => e.Name == "etc/plugin.conf").Mode);
        var link = entries.Single(e => e.Name == "bin/sh-link");
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("/bin/plugin", link.LinkName);
        Assert.Equal(TarEntryType.Directory, entries.Single(e => e.Name == "data/").EntryType);
    }

    [Fact]
    public async Task Long_names_stay_deterministic()
    {
        using var dir = new TempDirectory();
        var deep = Path.Combine(dir.Combine("root"), string.Join('/', Enumerable.Repeat("very-long-directory-name-0123456789", 6)));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, new string('f', 120)), "x");
        var a = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("root"), dir.Combine("a.tar.gz"), DateTimeOffset.UnixEpoch);
        await Task.Delay(1100); // a wall-clock time in a metadata header would now differ
        var b = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("root"), dir.Combine("b.tar.gz"), DateTimeOffset.UnixEpoch);
        Assert.Equal(a.Digest, b.Digest);
        Assert.Contains(ReadEntries(a.Path), e => e.Name.EndsWith(new string('f', 120), StringComparison.Ordinal));
    }

    [Fact]
    public void Timestamp_comes_from_SOURCE_DATE_EPOCH_or_zero()
    {
        Assert.Equal(DateTimeOffset.UnixEpoch, ArchiveTimestamp.Resolve(_ => null));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_234_567_890), ArchiveTimestamp.Resolve(n => n == "SOURCE_DATE_EPOCH" ? "1234567890" : null));
        var e = Assert.Throws<FormatException>(() => ArchiveTimestamp.Resolve(_ => "yesterday"));
        Assert.Contains("SOURCE_DATE_EPOCH", e.Message);
    }

    [Fact]
    public async Task A_fifo_in_the_tree_is_skipped_without_blocking()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("root"));
        File.WriteAllText(dir.Combine("root", "file"), "");
        var mkfifo = System.Diagnostics.Process.Start("mkfifo", [dir.Combine("root", "pipe")])!;
        await mkfifo.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var layer = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("root"), dir.Combine("l.tar.gz"), null, cts.Token);
        Assert.Equal(["file"], ReadEntries(layer.Path).Select(e => e.Name));
    }

    internal static List<TarEntry> ReadEntries(string path)
    {
        using var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }
}
