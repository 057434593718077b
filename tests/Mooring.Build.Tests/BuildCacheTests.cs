using Mooring.Build.Push;
using Mooring.Build.Rootfs;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// The build's caches must never hand back stale or foreign content: a file is only "unchanged" when its bytes are, and
/// a flattened base image is only reused for the exact digest it was flattened from.
/// </summary>
public sealed class BuildCacheTests
{
    [Fact]
    public void RootfsWriter_rewrites_a_file_whose_size_and_time_match_but_whose_content_does_not()
    {
        using var temp = new TempDirectory();
        var source = temp.Combine("app.dll");
        File.WriteAllText(source, "version 1");
        var time = File.GetLastWriteTimeUtc(source);
        var plan = new RootfsPlan();
        plan.AddFile("/app/app.dll", source);
        var rootfs = temp.Combine("rootfs");
        RootfsWriter.Apply(plan, rootfs);

        // Same length, same modification time (as cp -p or a checkout with a fixed date leaves it), other bytes.
        File.WriteAllText(source, "version 2");
        File.SetLastWriteTimeUtc(source, time);

        Assert.Equal(1, RootfsWriter.Apply(plan, rootfs));
        Assert.Equal("version 2", File.ReadAllText(Path.Combine(rootfs, "app", "app.dll")));
        Assert.Equal(0, RootfsWriter.Apply(plan, rootfs));
    }

    [Fact]
    public async Task The_layer_cache_is_not_reused_when_only_the_content_of_a_file_changed()
    {
        using var temp = new TempDirectory();
        var plugin = temp.Combine("plugin");
        Directory.CreateDirectory(Path.Combine(plugin, "rootfs", "app"));
        File.WriteAllText(Path.Combine(plugin, "config.json"),
            """{"description":"t","documentation":"https://example.invalid","entrypoint":["/app/run"],"interface":{"types":["docker.volumedriver/1.0"],"socket":"p.sock"}}""");
        var file = Path.Combine(plugin, "rootfs", "app", "run");
        File.WriteAllText(file, "echo 1");
        var time = File.GetLastWriteTimeUtc(file);
        var work = temp.Combine("obj");

        var (first, _) = await CachedPluginImage.BuildAsync(plugin, work, DateTimeOffset.UnixEpoch, CancellationToken.None);
        var (again, reused) = await CachedPluginImage.BuildAsync(plugin, work, DateTimeOffset.UnixEpoch, CancellationToken.None);
        Assert.True(reused);
        Assert.Equal(first.Layer.Digest, again.Layer.Digest);

        File.WriteAllText(file, "echo 2");
        File.SetLastWriteTimeUtc(file, time);
        var (changed, reusedAfterEdit) = await CachedPluginImage.BuildAsync(plugin, work, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.False(reusedAfterEdit);
        Assert.NotEqual(first.Layer.Digest, changed.Layer.Digest);
    }

    [Fact]
    public async Task A_base_image_cache_entry_is_reused_only_for_the_full_digest_it_was_made_from()
    {
        using var temp = new TempDirectory();
        var cacheRoot = temp.Combine("base-images");
        var digest = "sha256:0123456789abcdef" + new string('1', 48);
        var sibling = "sha256:0123456789abcdef" + new string('2', 48); // the same 64-bit prefix
        Assert.Equal(digest[..23], sibling[..23]);

        // A complete cache entry for the sibling (say, a crafted image pulled earlier) must not serve the digest.
        var siblingEntry = BaseImageCache.PathFor(cacheRoot, sibling, "amd64");
        await WriteEntryAsync(siblingEntry, sibling, "amd64");
        var entry = BaseImageCache.PathFor(cacheRoot, digest, "amd64");
        Assert.NotEqual(siblingEntry, entry);
        Assert.False(BaseImageCache.IsComplete(entry, digest, "amd64"));
        Assert.False(BaseImageCache.IsComplete(siblingEntry, digest, "amd64"));

        // An entry at the right place whose marker names another digest, another architecture, or nothing is not reused.
        await WriteEntryAsync(entry, sibling, "amd64");
        Assert.False(BaseImageCache.IsComplete(entry, digest, "amd64"));
        await WriteEntryAsync(entry, digest, "arm64");
        Assert.False(BaseImageCache.IsComplete(entry, digest, "amd64"));
        File.WriteAllText(Path.Combine(entry, ".mooring-complete"), "");
        Assert.False(BaseImageCache.IsComplete(entry, digest, "amd64"));

        await WriteEntryAsync(entry, digest, "amd64");
        Assert.True(BaseImageCache.IsComplete(entry, digest, "amd64"));
    }

    private static async Task WriteEntryAsync(string entry, string digest, string architecture)
    {
        Directory.CreateDirectory(Path.Combine(entry, "rootfs"));
        await BaseImageCache.MarkCompleteAsync(entry, digest, architecture, "sha256:" + new string('9', 64), CancellationToken.None);
    }
}
