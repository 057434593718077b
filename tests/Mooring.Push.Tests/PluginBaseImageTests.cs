using System.Text;
using Mooring.Oci.Archives;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Push.Tests.Infrastructure;

namespace Mooring.Push.Tests;

/// <summary>PluginBaseImage: a rootfs that starts from an image pulled from a real registry, with the app on top.</summary>
[Collection(PushCollection.Name)]
public sealed class PluginBaseImageTests(PushEnvironment env)
{
    [Fact]
    public async Task The_pushed_layer_holds_the_flattened_base_with_the_app_on_top()
    {
        var image = await PushBaseImageAsync("base/tiny", "1");

        var run = await env.PushAsync("-p:PluginRepository=based/localvolume", "-p:PluginBaseImage=" + image);

        Assert.True(run.Process.Succeeded, run.Process.Output);
        Assert.Contains($"Pulling base image {image}", run.Process.StandardOutput);
        var entries = Archives.ReadEntries(await Archives.ReadBlobAsync(env.Registry.Address, "based/localvolume", run.Get("layerDigest")));
        var names = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("etc/base-release", names);                 // from the base, lower layer
        Assert.Contains("usr/share/base/upper.txt", names);        // from the base, upper layer
        Assert.DoesNotContain("usr/share/base/gone.txt", names);   // whited out by the upper layer
        Assert.DoesNotContain(names, n => n.Contains(".wh.", StringComparison.Ordinal));
        var link = Assert.Single(entries, e => e.Name == "usr/bin/hello");
        Assert.Equal("../share/base/upper.txt", link.LinkName);
        // The app wins where both have a path: the base's /app/LocalVolume placeholder is replaced by the real binary.
        var binary = Assert.Single(entries, e => e.Name == "app/LocalVolume");
        Assert.True(binary.Length > 1_000_000, $"app/LocalVolume is {binary.Length} bytes: the base's placeholder was not replaced.");
        Assert.Contains("lib64/ld-linux-x86-64.so.2", names);

        // Incremental: the base is cached (no pull), and the unchanged plugin is not sent again.
        var again = await env.PushAsync("-p:PluginRepository=based/localvolume", "-p:PluginBaseImage=" + image);
        Assert.True(again.Process.Succeeded, again.Process.Output);
        Assert.DoesNotContain("Pulling base image", again.Process.StandardOutput);
        Assert.Equal(run.Get("manifestDigest"), again.Get("manifestDigest"));
        Assert.Equal(0, again.Number("bytesUploaded"));

        // Without the property the base is gone again.
        var plain = await env.PushAsync("-p:PluginRepository=based/plain");
        Assert.True(plain.Process.Succeeded, plain.Process.Output);
        Assert.False(File.Exists(Path.Combine(env.PluginDirectory, "rootfs", "etc", "base-release")));
    }

    [Fact]
    public async Task A_missing_base_image_is_a_MOOR2xxx_error_naming_it()
    {
        var run = await env.PushAsync("-p:PluginRepository=based/missing", $"-p:PluginBaseImage={env.Registry.Address}/base/nosuch:1");

        Assert.False(run.Process.Succeeded);
        Assert.Contains(run.Process.StandardOutput.Split('\n'), l => l.Contains(" error MOOR2007") && l.Contains("base/nosuch"));
        Assert.DoesNotContain("MSB4018", run.Process.StandardOutput);
    }

    /// <summary>A two-layer image built and pushed with Mooring.Oci; the second layer whites out a file of the first.</summary>
    private async Task<string> PushBaseImageAsync(string repository, string tag)
    {
        var work = Directory.CreateTempSubdirectory("mooring-base-").FullName;
        try
        {
            var lower = Path.Combine(work, "lower");
            Directory.CreateDirectory(Path.Combine(lower, "etc"));
            Directory.CreateDirectory(Path.Combine(lower, "usr", "share", "base"));
            Directory.CreateDirectory(Path.Combine(lower, "app"));
            await File.WriteAllTextAsync(Path.Combine(lower, "etc", "base-release"), "tiny base 1\n");
            await File.WriteAllTextAsync(Path.Combine(lower, "usr", "share", "base", "gone.txt"), "deleted above\n");
            await File.WriteAllTextAsync(Path.Combine(lower, "app", "LocalVolume"), "placeholder\n");
            var upper = Path.Combine(work, "upper");
            Directory.CreateDirectory(Path.Combine(upper, "usr", "share", "base"));
            Directory.CreateDirectory(Path.Combine(upper, "usr", "bin"));
            await File.WriteAllTextAsync(Path.Combine(upper, "usr", "share", "base", "upper.txt"), "upper\n");
            await File.WriteAllTextAsync(Path.Combine(upper, "usr", "share", "base", ".wh.gone.txt"), "");
            File.CreateSymbolicLink(Path.Combine(upper, "usr", "bin", "hello"), "../share/base/upper.txt");

            var layers = new List<LayerBlob>();
            foreach (var directory in new[] { lower, upper })
            {
                layers.Add(await LayerBuilder.CreateFromDirectoryAsync(directory, directory + ".tar.gz", DateTimeOffset.UnixEpoch));
            }

            var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + string.Join(",", layers.Select(l => $"\"{l.DiffId}\"")) + "]}}");
            var manifest = ManifestWriter.CreateSchema2(
                new Descriptor(MediaTypes.DockerImageConfig, config.Length, Digests.Sha256(config)),
                layers.Select(l => new Descriptor(l.MediaType, l.Size, l.Digest)).ToList());
            using var client = new RegistryClient(env.Registry.Address);
            foreach (var layer in layers)
            {
                await client.PushBlobAsync(repository, layer.ToBlobContent());
            }

            await client.PushBlobAsync(repository, BlobContent.FromBytes(config));
            await client.PushManifestAsync(repository, tag, manifest);
            return $"{env.Registry.Address}/{repository}:{tag}";
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
