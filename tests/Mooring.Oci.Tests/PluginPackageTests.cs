using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class PluginPackageTests
{
    [Fact]
    public async Task Build_gives_a_plugin_config_with_the_diff_id_and_a_schema2_manifest()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("work"), DateTimeOffset.UnixEpoch);

        using var config = JsonDocument.Parse(image.Config);
        var root = config.RootElement;
        Assert.Equal("Mooring test plugin", root.GetProperty("description").GetString());
        Assert.False(root.TryGetProperty("RootFS", out _)); // the stale, differently-cased rootfs is replaced
        Assert.Equal("layers", root.GetProperty("rootfs").GetProperty("type").GetString());
        Assert.Equal([image.Layer.DiffId], root.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Digests.Sha256(image.Config), image.ConfigDigest);
        // Property order of the input is kept and the output is compact.
        Assert.StartsWith("{\"description\":\"Mooring test plugin\",\"documentation\":", Encoding.UTF8.GetString(image.Config));

        var manifest = Encoding.UTF8.GetString(image.Manifest);
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.docker.plugin.v1+json\",\"size\":{image.Config.Length},\"digest\":\"{image.ConfigDigest}\"}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":{image.Layer.Size},\"digest\":\"{image.Layer.Digest}\"}}]}}",
            manifest);
        Assert.Equal(Digests.Sha256(image.Manifest), image.ManifestDigest);
    }

    [Fact]
    public async Task Two_builds_of_the_same_directory_have_the_same_digests_and_a_change_changes_them()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var a = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w1"), DateTimeOffset.UnixEpoch);
        var b = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w2"), DateTimeOffset.UnixEpoch);
        Assert.Equal(a.ManifestDigest, b.ManifestDigest);
        Assert.Equal(a.Config, b.Config);
        Assert.Equal(File.ReadAllBytes(a.Layer.Path), File.ReadAllBytes(b.Layer.Path));

        File.SetUnixFileMode(dir.Combine("p", "rootfs", "etc", "plugin.conf"), (UnixFileMode)0b110_000_000);
        var c = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w3"), DateTimeOffset.UnixEpoch);
        Assert.NotEqual(a.Layer.Digest, c.Layer.Digest);
        var d = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w4"), DateTimeOffset.FromUnixTimeSeconds(1));
        Assert.NotEqual(c.Layer.Digest, d.Layer.Digest);
    }

    [Fact]
    public async Task Archive_holds_config_and_rootfs_only_and_is_deterministic()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        File.WriteAllText(dir.Combine("p", "README.md"), "not part of the plugin");
        var a = await PluginPackage.CreateArchiveAsync(dir.Combine("p"), dir.Combine("a.tar"), DateTimeOffset.UnixEpoch);
        var b = await PluginPackage.CreateArchiveAsync(dir.Combine("p"), dir.Combine("b.tar"), DateTimeOffset.UnixEpoch);
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(File.ReadAllBytes(a.Path), File.ReadAllBytes(b.Path));
        Assert.Equal(new FileInfo(a.Path).Length, a.Size);

        var entries = LayerBuilderTests.ReadEntries(a.Path);
        Assert.Equal(
            ["config.json", "rootfs/", "rootfs/bin/", "rootfs/bin/plugin", "rootfs/bin/sh-link", "rootfs/data/", "rootfs/etc/", "rootfs/etc/plugin.conf", "rootfs/etc/random.bin", "rootfs/etc/z-last.txt"],
            entries.Select(e => e.Name));
        using var reader = new StreamReader(entries[0].DataStream!);
        Assert.Equal(PluginSamples.ConfigJson, reader.ReadToEnd());
        Assert.All(entries, e => Assert.Equal((0, 0, DateTimeOffset.UnixEpoch), (e.Uid, e.Gid, e.ModificationTime)));
        Assert.Equal(TarEntryType.SymbolicLink, entries.Single(e => e.Name == "rootfs/bin/sh-link").EntryType);
    }

    [Fact]
    public async Task Incomplete_plugin_directories_are_clear_errors()
    {
        using var dir = new TempDirectory();
        var e = await Assert.ThrowsAsync<OciException>(() => PluginPackage.BuildAsync(dir.Combine("missing"), dir.Combine("w")));
        Assert.Equal(OciErrorCodes.InvalidPluginDirectory, e.Code);
        Assert.Contains("does not exist", e.Message);

        Directory.CreateDirectory(dir.Combine("p", "rootfs"));
        e = await Assert.ThrowsAsync<OciException>(() => PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w")));
        Assert.Contains("config.json", e.Message);

        File.WriteAllText(dir.Combine("p", "config.json"), "[1,2]");
        e = await Assert.ThrowsAsync<OciException>(() => PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w")));
        Assert.Contains("JSON object", e.Message);

        File.WriteAllText(dir.Combine("p", "config.json"), "{\"a\":");
        e = await Assert.ThrowsAsync<OciException>(() => PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w")));
        Assert.Contains("not valid JSON", e.Message);

        Directory.Delete(dir.Combine("p", "rootfs"));
        File.WriteAllText(dir.Combine("p", "config.json"), "{}");
        e = await Assert.ThrowsAsync<OciException>(() => PluginPackage.CreateArchiveAsync(dir.Combine("p"), dir.Combine("x.tar")));
        Assert.Contains("rootfs/", e.Message);
        Assert.False(File.Exists(dir.Combine("x.tar")));
    }
}
