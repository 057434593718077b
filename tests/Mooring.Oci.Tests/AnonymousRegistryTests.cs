using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Mooring.Oci.Archives;
using Mooring.Oci.Images;
using Mooring.Oci.Manifests;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class AnonymousRegistryTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private PrivateRegistry Registry => fixture.Registry;

    private ImageReference Ref(string repository, string? tag = null) =>
        ImageReference.Parse($"{Registry.Address}/{repository}{(tag is null ? "" : ":" + tag)}");

    [Fact]
    public async Task Push_then_read_back_with_the_client_and_with_skopeo()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        var progress = new RecordingProgress();
        var result = await PluginPackage.PushAsync(image, Ref("anon/readback"), ["1.0", "latest"], new RegistryClientOptions { Progress = progress });

        Assert.Equal(image.ManifestDigest, result.ManifestDigest);
        Assert.Equal(["1.0", "latest"], result.Tags);
        Assert.Equal((2, 0, 0), (result.BlobsUploaded, result.BlobsSkipped, result.BlobsMounted));
        Assert.Equal(2, progress.Count(RegistryProgressKind.ManifestPushed));
        Assert.Equal(image.Layer.Size + image.Config.Length, progress.BytesUploaded);

        using var client = new RegistryClient(Registry.Address);
        foreach (var tag in new[] { "1.0", "latest", image.ManifestDigest })
        {
            var manifest = await client.GetManifestAsync("anon/readback", tag);
            Assert.Equal(image.Manifest, manifest.Content);
            Assert.Equal(MediaTypes.DockerManifestV2, manifest.MediaType);
            Assert.Equal(image.ManifestDigest, manifest.Digest);
        }

        var raw = await Skopeo.InspectRawAsync($"{Registry.Address}/anon/readback:1.0");
        Assert.Equal(Encoding.UTF8.GetString(image.Manifest), raw.TrimEnd('\n'));
        using var json = JsonDocument.Parse(raw);
        Assert.Equal(MediaTypes.PluginConfig, json.RootElement.GetProperty("config").GetProperty("mediaType").GetString());

        using var config = new MemoryStream();
        await client.CopyBlobAsync("anon/readback", image.ConfigDigest, config);
        Assert.Equal(image.Config, config.ToArray());
        using var layer = new MemoryStream();
        await client.CopyBlobAsync("anon/readback", image.Layer.Digest, layer);
        Assert.Equal(File.ReadAllBytes(image.Layer.Path), layer.ToArray());
    }

    [Fact]
    public async Task A_re_push_of_an_unchanged_plugin_uploads_nothing()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var first = new RecordingProgress();
        var r1 = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), Ref("anon/repush", "1"), options: new RegistryClientOptions { Progress = first }, timestamp: DateTimeOffset.UnixEpoch);
        Assert.Equal(2, first.Count(RegistryProgressKind.BlobUploaded));
        Assert.True(first.BytesUploaded > 100_000);

        // A second, independent build of the same directory: same digests, and HEAD finds both blobs.
        var second = new RecordingProgress();
        var r2 = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), Ref("anon/repush", "1"), options: new RegistryClientOptions { Progress = second }, timestamp: DateTimeOffset.UnixEpoch);
        Assert.Equal(r1.ManifestDigest, r2.ManifestDigest);
        Assert.Equal((0, 2), (r2.BlobsUploaded, r2.BlobsSkipped));
        Assert.Equal(0, second.Count(RegistryProgressKind.BlobUploaded));
        Assert.Equal(0, second.Count(RegistryProgressKind.BlobUploading));
        Assert.Equal(0, second.BytesUploaded);
        Assert.Equal(2, second.Count(RegistryProgressKind.BlobSkipped));

        // The tag already points at the manifest: nothing is written (the PluginPush task reports "0 tag(s) updated").
        Assert.Empty(r1.TagsUnchanged);
        Assert.Equal(1, first.Count(RegistryProgressKind.ManifestPushed));
        Assert.Equal(["1"], r2.TagsUnchanged);
        Assert.Equal(0, second.Count(RegistryProgressKind.ManifestPushed));
    }

    [Fact]
    public async Task Forced_chunked_upload_sends_every_chunk_and_gives_the_same_manifest()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"), payload: "chunked");
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        var progress = new RecordingProgress();
        var options = new RegistryClientOptions { ForceChunkedUpload = true, ChunkSize = 16 * 1024, Progress = progress };
        var result = await PluginPackage.PushAsync(image, Ref("anon/chunked", "c"), options: options);
        Assert.Equal(image.ManifestDigest, result.ManifestDigest);

        var layerChunks = progress.Reports.Where(r => r.Kind == RegistryProgressKind.BlobUploading && r.Digest == image.Layer.Digest).ToList();
        Assert.Equal((int)Math.Ceiling(image.Layer.Size / (16.0 * 1024)), layerChunks.Count);
        Assert.Equal(image.Layer.Size, layerChunks[^1].BytesSent);

        using var client = new RegistryClient(Registry.Address);
        using var layer = new MemoryStream();
        await client.CopyBlobAsync("anon/chunked", image.Layer.Digest, layer);
        Assert.Equal(File.ReadAllBytes(image.Layer.Path), layer.ToArray());
    }

    [Fact]
    public async Task Cross_repository_mount_sends_no_bytes()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"), payload: "mount");
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        await PluginPackage.PushAsync(image, Ref("anon/mount-a", "1"));

        var progress = new RecordingProgress();
        var result = await PluginPackage.PushAsync(image, Ref("anon/mount-b", "1"), options: new RegistryClientOptions { Progress = progress }, mountFrom: "anon/mount-a");
        Assert.Equal((0, 0, 2), (result.BlobsUploaded, result.BlobsSkipped, result.BlobsMounted));
        Assert.Equal(2, progress.Count(RegistryProgressKind.BlobMounted));
        Assert.Equal(0, progress.Count(RegistryProgressKind.BlobUploading));

        using var client = new RegistryClient(Registry.Address);
        Assert.True(await client.BlobExistsAsync("anon/mount-b", image.Layer.Digest));
        Assert.Equal(image.Manifest, (await client.GetManifestAsync("anon/mount-b", "1")).Content);
    }

    [Fact]
    public async Task A_mount_from_a_repository_without_the_blob_falls_back_to_an_upload()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"), payload: "mount-miss");
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        var result = await PluginPackage.PushAsync(image, Ref("anon/mount-c", "1"), mountFrom: "anon/does-not-exist");
        Assert.Equal((2, 0), (result.BlobsUploaded, result.BlobsMounted));
    }

    [Fact]
    public async Task A_manifest_naming_a_missing_blob_is_rejected_with_MOOR2005()
    {
        using var client = new RegistryClient(Registry.Address);
        var missing = "sha256:" + new string('0', 64);
        var manifest = ManifestWriter.CreateSchema2(new Descriptor(MediaTypes.PluginConfig, 2, missing), []);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushManifestAsync("anon/bad-manifest", "1", manifest));
        Assert.Equal(OciErrorCodes.ManifestRejected, e.Code);
        Assert.Equal(RegistryStep.PushManifest, e.Step);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains(Registry.Address, e.Message);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", e.Message);
    }

    [Fact]
    public async Task Missing_manifests_and_blobs_are_MOOR2007()
    {
        using var client = new RegistryClient(Registry.Address);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("anon/nothing-here", "nope"));
        Assert.Equal(OciErrorCodes.NotFound, e.Code);
        Assert.Equal(RegistryStep.GetManifest, e.Step);
        e = await Assert.ThrowsAsync<RegistryException>(() => client.CopyBlobAsync("anon/nothing-here", "sha256:" + new string('1', 64), Stream.Null));
        Assert.Equal(OciErrorCodes.NotFound, e.Code);
        Assert.False(await client.BlobExistsAsync("anon/nothing-here", "sha256:" + new string('1', 64)));
    }

    [Fact]
    public async Task A_two_layer_base_image_with_whiteouts_is_pulled_and_flattened()
    {
        using var dir = new TempDirectory();
        // Layer 1: /etc/keep, /etc/remove-me, /opt/old/{a,b}, /bin/tool (0755), /bin/link -> tool.
        Directory.CreateDirectory(dir.Combine("l1", "etc"));
        Directory.CreateDirectory(dir.Combine("l1", "opt", "old"));
        Directory.CreateDirectory(dir.Combine("l1", "bin"));
        File.WriteAllText(dir.Combine("l1", "etc", "keep"), "keep");
        File.WriteAllText(dir.Combine("l1", "etc", "remove-me"), "bye");
        File.WriteAllText(dir.Combine("l1", "opt", "old", "a"), "a");
        File.WriteAllText(dir.Combine("l1", "opt", "old", "b"), "b");
        File.WriteAllText(dir.Combine("l1", "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(dir.Combine("l1", "bin", "tool"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(dir.Combine("l1", "bin", "link"), "tool");
        // Layer 2: whiteout /etc/remove-me, make /opt/old opaque with one new file, add /etc/new.
        Directory.CreateDirectory(dir.Combine("l2", "etc"));
        Directory.CreateDirectory(dir.Combine("l2", "opt", "old"));
        File.WriteAllText(dir.Combine("l2", "etc", ".wh.remove-me"), "");
        File.WriteAllText(dir.Combine("l2", "etc", "new"), "new");
        File.WriteAllText(dir.Combine("l2", "opt", "old", ".wh..wh..opq"), "");
        File.WriteAllText(dir.Combine("l2", "opt", "old", "c"), "c");

        var l1 = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("l1"), dir.Combine("l1.tar.gz"), DateTimeOffset.UnixEpoch);
        var l2 = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine("l2"), dir.Combine("l2.tar.gz"), DateTimeOffset.UnixEpoch);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/tool"]},"rootfs":{"type":"layers","diff_ids":["{{{l1.DiffId}}}","{{{l2.DiffId}}}"]}}""");
        using (var client = new RegistryClient(Registry.Address))
        {
            await client.PushBlobAsync("anon/base", l1.ToBlobContent());
            await client.PushBlobAsync("anon/base", l2.ToBlobContent());
            await client.PushBlobAsync("anon/base", BlobContent.FromBytes(config));
            var manifest = ManifestWriter.CreateSchema2(
                new Descriptor(MediaTypes.DockerImageConfig, config.Length, Digests.Sha256(config)),
                [new Descriptor(l1.MediaType, l1.Size, l1.Digest), new Descriptor(l2.MediaType, l2.Size, l2.Digest)]);
            await client.PushManifestAsync("anon/base", "1", manifest);
        }

        var rootfs = dir.Combine("rootfs");
        var pulled = await BaseImage.PullAndFlattenAsync(Ref("anon/base", "1"), rootfs);
        Assert.Equal([l1.Digest, l2.Digest], pulled.LayerDigests);
        Assert.Equal(config, pulled.Config);
        Assert.Equal(pulled.ManifestDigest, pulled.Reference.Digest);

        Assert.Equal("keep", File.ReadAllText(Path.Combine(rootfs, "etc", "keep")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(rootfs, "etc", "new")));
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "remove-me")));
        Assert.Equal(["c"], Directory.EnumerateFileSystemEntries(Path.Combine(rootfs, "opt", "old")).Select(Path.GetFileName));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(rootfs, "bin", "tool")));
        Assert.Equal("tool", new FileInfo(Path.Combine(rootfs, "bin", "link")).LinkTarget);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rootfs, ".wh.*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_index_is_resolved_to_linux_amd64_and_an_oci_manifest_is_accepted()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("amd"));
        File.WriteAllText(dir.Combine("amd", "arch"), "amd64");
        Directory.CreateDirectory(dir.Combine("arm"));
        File.WriteAllText(dir.Combine("arm", "arch"), "arm64");
        using var client = new RegistryClient(Registry.Address);
        var entries = new List<string>();
        foreach (var (name, arch) in new[] { ("arm", "arm64"), ("amd", "amd64") })
        {
            var layer = await LayerBuilder.CreateFromDirectoryAsync(dir.Combine(name), dir.Combine(name + ".tar.gz"), DateTimeOffset.UnixEpoch);
            var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{arch}}}","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{layer.DiffId}}}"]}}""");
            await client.PushBlobAsync("anon/multi", layer.ToBlobContent());
            await client.PushBlobAsync("anon/multi", BlobContent.FromBytes(config));
            var manifest = Encoding.UTF8.GetBytes(
                $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciImageConfig}}","size":{{config.Length}},"digest":"{{Digests.Sha256(config)}}"},"layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","size":{{layer.Size}},"digest":"{{layer.Digest}}"}]}""");
            var digest = await client.PushManifestAsync("anon/multi", Digests.Sha256(manifest), manifest, MediaTypes.OciManifest);
            entries.Add($$$"""{"mediaType":"{{{MediaTypes.OciManifest}}}","size":{{{manifest.Length}}},"digest":"{{{digest}}}","platform":{"architecture":"{{{arch}}}","os":"linux"}}""");
        }

        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{string.Join(",", entries)}}]}""");
        await client.PushManifestAsync("anon/multi", "1", index, MediaTypes.OciIndex);

        var pulled = await BaseImage.PullAndFlattenAsync(Ref("anon/multi", "1"), dir.Combine("rootfs"));
        Assert.Equal("amd64", File.ReadAllText(dir.Combine("rootfs", "arch")));
        Assert.Contains("amd64", Encoding.UTF8.GetString(pulled.Config));

        var e = await Assert.ThrowsAsync<OciException>(() => BaseImage.PullAndFlattenAsync(Ref("anon/multi", "1"), dir.Combine("rootfs2"), architecture: "s390x"));
        Assert.Equal(OciErrorCodes.UnsupportedImage, e.Code);
        Assert.Contains("linux/arm64, linux/amd64", e.Message);
    }

    [Fact]
    public async Task A_hostile_base_image_is_refused_when_flattened()
    {
        using var dir = new TempDirectory();
        var layerPath = dir.Combine("evil.tar");
        using (var file = File.Create(layerPath))
        using (var writer = new System.Formats.Tar.TarWriter(file, System.Formats.Tar.TarEntryFormat.Ustar))
        {
            writer.WriteEntry(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../../tmp/mooring-evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        var layer = await BlobContent.FromFileAsync(layerPath);
        var config = "{\"os\":\"linux\"}"u8.ToArray();
        using (var client = new RegistryClient(Registry.Address))
        {
            await client.PushBlobAsync("anon/evil", layer);
            await client.PushBlobAsync("anon/evil", BlobContent.FromBytes(config));
            await client.PushManifestAsync("anon/evil", "1", ManifestWriter.CreateSchema2(
                new Descriptor(MediaTypes.DockerImageConfig, config.Length, Digests.Sha256(config)),
                [new Descriptor(MediaTypes.DockerLayerTar, layer.Length, layer.Digest)]));
        }

        var e = await Assert.ThrowsAsync<OciException>(() => BaseImage.PullAndFlattenAsync(Ref("anon/evil", "1"), dir.Combine("rootfs")));
        Assert.Equal(OciErrorCodes.UnsafeArchive, e.Code);
        Assert.False(File.Exists("/tmp/mooring-evil"));
    }

    [Fact]
    public async Task Cancellation_stops_a_push_cleanly()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"), payload: "cancel");
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        using var cts = new CancellationTokenSource();
        // Cancel as soon as the first bytes go out.
        var progress = new CallbackProgress(r =>
        {
            if (r.Kind == RegistryProgressKind.BlobUploading)
            {
                cts.Cancel();
            }
        });
        var options = new RegistryClientOptions { Progress = progress, ForceChunkedUpload = true, ChunkSize = 4096 };
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PluginPackage.PushAsync(image, Ref("anon/cancelled", "1"), options: options, cancellationToken: cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
        using var client = new RegistryClient(Registry.Address);
        Assert.False(await client.BlobExistsAsync("anon/cancelled", image.Layer.Digest));
    }

    private sealed class CallbackProgress(Action<RegistryProgress> callback) : IProgress<RegistryProgress>
    {
        public void Report(RegistryProgress value) => callback(value);
    }
}
