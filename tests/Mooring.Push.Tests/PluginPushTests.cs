using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mooring.Oci.Manifests;
using Mooring.Push.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Push.Tests;

/// <summary>dotnet publish -t:PluginPush of the LocalVolume sample to a real docker-registry, checked with skopeo and the Mooring.Oci client.</summary>
[Collection(PushCollection.Name)]
public sealed class PluginPushTests(PushEnvironment env)
{
    [Fact]
    public async Task Push_writes_a_schema2_plugin_manifest_config_and_layer_under_every_tag()
    {
        var run = await env.PushAsync("-p:PluginRepository=acme/localvolume", "-p:PluginTags=1.0.0%3Blatest");

        Assert.True(run.Process.Succeeded, run.Process.Output);
        var repo = $"{env.Registry.Address}/acme/localvolume";
        var digest = run.Get("manifestDigest");
        Assert.Contains($"LocalVolume -> {repo}:1.0.0@{digest}", run.Process.StandardOutput);
        Assert.Contains($"LocalVolume -> {repo}:latest@{digest}", run.Process.StandardOutput);
        Assert.Contains($"docker plugin install --alias localvolume {repo}:1.0.0", run.Process.StandardOutput);
        Assert.Contains("volumes are bound to the plugin's name", run.Process.StandardOutput);
        // Progress at normal verbosity: what was sent.
        Assert.Contains("layer sha256:", run.Process.StandardOutput);
        Assert.Contains(": uploaded ", run.Process.StandardOutput);

        // What the registry serves, read by an independent client.
        var raw = await Skopeo.InspectRawAsync($"{repo}:1.0.0");
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n')))));
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{repo}:latest"));
        var manifest = JsonNode.Parse(raw)!;
        Assert.Equal(2, manifest["schemaVersion"]!.GetValue<int>());
        Assert.Equal(MediaTypes.DockerManifestV2, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.PluginConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(run.Get("configDigest"), manifest["config"]!["digest"]!.GetValue<string>());
        var layer = Assert.Single(manifest["layers"]!.AsArray())!;
        Assert.Equal(MediaTypes.DockerLayerGzip, layer["mediaType"]!.GetValue<string>());
        Assert.Equal(run.Get("layerDigest"), layer["digest"]!.GetValue<string>());
        Assert.Equal(run.Number("layerSize"), layer["size"]!.GetValue<long>());

        // The config is the plugin's config.json plus rootfs.diff_ids = the uncompressed layer digest.
        var config = JsonNode.Parse(await Archives.ReadBlobAsync(env.Registry.Address, "acme/localvolume", run.Get("configDigest")))!;
        var local = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(env.PluginDirectory, "config.json")))!;
        Assert.Equal(local["interface"]!.ToJsonString(), config["interface"]!.ToJsonString());
        Assert.Equal("localvolume.sock", config["interface"]!["socket"]!.GetValue<string>());
        Assert.Equal("/data", config["propagatedMount"]!.GetValue<string>());
        Assert.Equal("layers", config["rootfs"]!["type"]!.GetValue<string>());
        var layerBytes = await Archives.ReadBlobAsync(env.Registry.Address, "acme/localvolume", run.Get("layerDigest"));
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Archives.Gunzip(layerBytes)));
        Assert.Equal([diffId], config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToArray());

        // The layer is exactly the rootfs: same names, root-owned, fixed time (no SOURCE_DATE_EPOCH: 1970), sorted.
        var entries = Archives.ReadEntries(layerBytes);
        Assert.Equal(Archives.TreeNames(Path.Combine(env.PluginDirectory, "rootfs")), new SortedSet<string>(entries.Select(e => e.Name), StringComparer.Ordinal));
        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal((0, 0, DateTimeOffset.UnixEpoch), (e.Uid, e.Gid, e.ModificationTime)));
        var binary = Assert.Single(entries, e => e.Name == "app/LocalVolume");
        Assert.Equal(TarEntryType.RegularFile, binary.Type);
        Assert.True(binary.Mode.HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task A_re_push_of_an_unchanged_plugin_sends_no_bytes()
    {
        // No PluginRepository: the project name made valid (LocalVolume -> localvolume).
        var first = await env.PushAsync();
        Assert.True(first.Process.Succeeded, first.Process.Output);
        Assert.Equal(2, first.Number("blobsUploaded"));
        Assert.True(first.Number("bytesUploaded") > first.Number("layerSize"));

        var again = await env.PushAsync();

        Assert.True(again.Process.Succeeded, again.Process.Output);
        Assert.Equal(first.Get("manifestDigest"), again.Get("manifestDigest"));
        Assert.Equal(0, again.Number("bytesUploaded"));
        Assert.Equal(0, again.Number("blobsUploaded"));
        Assert.Equal(2, again.Number("blobsSkipped"));
        Assert.Equal(0, again.Number("tagsPushed"));
        Assert.True(again.RequireSummary()["layerReused"]!.GetValue<bool>(), "The unchanged layer should come from the cache, not be recompressed.");
        Assert.Contains("Sent 0 bytes in 0 blob(s), 2 blob(s) already in the registry, 0 tag(s) updated", again.Process.StandardOutput);
        Assert.Contains("already in the registry, not sent", again.Process.StandardOutput);
        Assert.Equal("localvolume", again.Get("repository"));
        // The default tag is the project Version.
        Assert.Equal(["1.2.3"], again.RequireSummary()["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Digests_are_reproducible_and_follow_SOURCE_DATE_EPOCH()
    {
        var epoch = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var first = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + env.Registry.Address, "-p:PluginRepository=repro/a"], epoch);
        Assert.True(first.Process.Succeeded, first.Process.Output);

        // Drop the layer cache: the layer is compressed again from the same rootfs and must come out byte-identical.
        foreach (var stamp in Directory.GetFiles(Path.Combine(env.Project, "obj"), "layer.json", SearchOption.AllDirectories))
        {
            File.Delete(stamp);
        }

        var rebuilt = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + env.Registry.Address, "-p:PluginRepository=repro/b"], epoch);
        Assert.True(rebuilt.Process.Succeeded, rebuilt.Process.Output);
        Assert.False(rebuilt.RequireSummary()["layerReused"]!.GetValue<bool>());
        Assert.Equal(first.Get("layerDigest"), rebuilt.Get("layerDigest"));
        Assert.Equal(first.Get("manifestDigest"), rebuilt.Get("manifestDigest"));

        // The same property as an MSBuild property, another value: another layer, with that time in every entry.
        var later = await env.PushAsync("-p:PluginRepository=repro/c", "-p:SOURCE_DATE_EPOCH=1700000001");
        Assert.True(later.Process.Succeeded, later.Process.Output);
        Assert.NotEqual(first.Get("layerDigest"), later.Get("layerDigest"));
        var entries = Archives.ReadEntries(await Archives.ReadBlobAsync(env.Registry.Address, "repro/c", later.Get("layerDigest")));
        Assert.All(entries, e => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000001), e.ModificationTime));
    }

    [Fact]
    public async Task Two_clean_builds_in_different_folders_push_the_same_digests()
    {
        var epoch = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = PushEnvironment.ReproducibleEpoch };
        // Warm: the shared project was already published (RunAsync publishes it first), so this push builds incrementally.
        var here = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + env.Registry.Address, "-p:PluginRepository=twice/one"], epoch);
        Assert.True(here.Process.Succeeded, here.Process.Output);

        // Cold: a second consumer folder whose path is longer, with its own restore, compile and NativeAOT link from
        // scratch; the environment started it when the collection started.
        var other = env.ColdProject;
        Assert.NotEqual(env.Project.Length, other.Length);
        var there = await env.ColdPushAsync();

        Assert.True(there.Process.Succeeded, there.Process.Output);
        Assert.False(there.RequireSummary()["layerReused"]!.GetValue<bool>());
        // The binary first: when it differs, the message says where (build-id, an MVID in .rodata, the debug link's CRC).
        var binary = Path.Combine(Path.GetRelativePath(env.Project, env.PluginDirectory), "rootfs", "app", PushEnvironment.ProjectName);
        var hereBinary = await File.ReadAllBytesAsync(Path.Combine(env.Project, binary));
        var thereBinary = await File.ReadAllBytesAsync(Path.Combine(other, binary));
        var differing = Enumerable.Range(0, Math.Min(hereBinary.Length, thereBinary.Length)).Where(i => hereBinary[i] != thereBinary[i]).ToList();
        Assert.True(hereBinary.Length == thereBinary.Length && differing.Count == 0,
            $"The plugin binaries differ: {hereBinary.Length} and {thereBinary.Length} bytes, {differing.Count} bytes differ, first at offsets {string.Join(", ", differing.Take(8))}");
        Assert.Equal(here.Get("layerDigest"), there.Get("layerDigest"));
        Assert.Equal(here.Get("configDigest"), there.Get("configDigest"));
        Assert.Equal(here.Get("manifestDigest"), there.Get("manifestDigest"));
    }

    [Fact]
    public async Task An_unreachable_registry_is_error_MOOR2001_naming_the_registry()
    {
        var registry = "127.0.0.1:" + PrivateRegistry.FreePort();

        var run = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + registry]);

        Assert.False(run.Process.Succeeded);
        // MSBuild repeats errors in its summary: every error line must be this one.
        var error = ErrorLines(run).Distinct().First();
        Assert.All(ErrorLines(run), l => Assert.Contains("error MOOR2001", l));
        Assert.Contains(registry, error);
        Assert.DoesNotContain("MSB4018", run.Process.StandardOutput);
        Assert.DoesNotContain("   at ", run.Process.StandardOutput);
    }

    [Fact]
    public async Task Bad_push_settings_are_error_MOOR2040_saying_what_to_set()
    {
        var noRegistry = await env.RunAsync("PluginPush", []);
        Assert.False(noRegistry.Process.Succeeded);
        Assert.Contains(ErrorLines(noRegistry), l => l.Contains("error MOOR2040") && l.Contains("PluginRegistry is not set"));

        var badTag = await env.PushAsync("-p:PluginTag=-bad");
        Assert.False(badTag.Process.Succeeded);
        Assert.Contains(ErrorLines(badTag), l => l.Contains("error MOOR2040") && l.Contains("'-bad' is not a valid tag"));

        var badRepository = await env.PushAsync("-p:PluginRepository=Acme/Volume");
        Assert.False(badRepository.Process.Succeeded);
        Assert.Contains(ErrorLines(badRepository), l => l.Contains("error MOOR2040") && l.Contains("PluginRepository 'Acme/Volume'"));
    }

    [Fact]
    public async Task Basic_auth_uses_docker_config_json_and_a_wrong_password_is_MOOR2002_without_the_secret()
    {
        const string User = "pusher";
        const string Password = "s3cret-Passw0rd-7781";
        const string WrongPassword = "wr0ng-Passw0rd-9932";
        await using var registry = await PrivateRegistry.StartHtpasswdAsync(User, Password);

        var config = Directory.CreateTempSubdirectory("mooring-docker-config-").FullName;
        try
        {
            var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
            await File.WriteAllTextAsync(Path.Combine(config, "config.json"), "{\"auths\":{\"" + registry.Address + "\":{\"auth\":\"" + auth + "\"}}}");
            var fromConfig = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + registry.Address, "-p:PluginRepository=private/localvolume"],
                new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config });

            Assert.True(fromConfig.Process.Succeeded, fromConfig.Process.Output + registry.Log);
            var raw = await Skopeo.InspectRawAsync($"{registry.Address}/private/localvolume:1.2.3", "--creds", $"{User}:{Password}");
            Assert.Contains(MediaTypes.PluginConfig, raw);
            Assert.DoesNotContain(Password, fromConfig.Process.StandardOutput + fromConfig.Process.StandardError);
            Assert.DoesNotContain(auth, fromConfig.Process.StandardOutput + fromConfig.Process.StandardError);

            // Properties win over docker's config.json; a wrong password is one clear error.
            var wrong = await env.RunAsync("PluginPush", ["-p:PluginRegistry=" + registry.Address, "-p:PluginRepository=private/localvolume",
                "-p:PluginRegistryUsername=" + User, "-p:PluginRegistryPassword=" + WrongPassword],
                new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config });

            Assert.False(wrong.Process.Succeeded);
            var error = ErrorLines(wrong).First();
            Assert.All(ErrorLines(wrong), l => Assert.Contains("error MOOR2002", l));
            Assert.Contains(registry.Address, error);
            Assert.DoesNotContain(WrongPassword, wrong.Process.StandardOutput + wrong.Process.StandardError);
            Assert.DoesNotContain("MSB4018", wrong.Process.StandardOutput);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    public async Task PluginPack_writes_the_tar_docker_plugin_create_expects()
    {
        var output = Path.Combine(env.Feed.Root, "packed", "localvolume.tar");

        var run = await env.RunAsync("PluginPack", ["-p:PluginPackOutput=" + output]);

        Assert.True(run.Process.Succeeded, run.Process.Output);
        Assert.Contains($"-> {output} (sha256:", run.Process.StandardOutput);
        var entries = Archives.ReadEntries(await File.ReadAllBytesAsync(output));
        Assert.Equal("config.json", entries[0].Name);
        Assert.Equal("rootfs/", entries[1].Name);
        var expected = new SortedSet<string>(Archives.TreeNames(Path.Combine(env.PluginDirectory, "rootfs"), "rootfs/"), StringComparer.Ordinal) { "config.json", "rootfs/" };
        Assert.Equal(expected, new SortedSet<string>(entries.Select(e => e.Name), StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));

        var before = File.GetLastWriteTimeUtc(output);
        var again = await env.RunAsync("PluginPack", ["-p:PluginPackOutput=" + output]);
        Assert.True(again.Process.Succeeded, again.Process.Output);
        Assert.Contains("is up to date", again.Process.StandardOutput);
        Assert.Equal(before, File.GetLastWriteTimeUtc(output));
    }

    private static List<string> ErrorLines(PushRun run) =>
        run.Process.StandardOutput.Split('\n').Where(l => l.Contains(" error MOOR", StringComparison.Ordinal)).ToList();
}
