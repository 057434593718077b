using System.Text.Json.Nodes;
using Mooring.Push.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Push.Tests;

/// <summary>
/// PluginRuntimeIdentifiers=linux-x64;linux-arm64 on an x86-64 machine: a real NativeAOT cross-compilation to arm64 (clang,
/// lld, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross) and one tag per architecture. The one arm64 publish serves every test
/// here: its rootfs, its config.json, the binary answering the protocol under qemu-aarch64-static, and what the registry serves.
/// The same arm64 code linked as a static executable (PluginStaticExecutable) is checked here too.
/// </summary>
[Collection(PushCollection.Name)]
public sealed class CrossArchitecturePushTests(PushEnvironment env)
{
    private const string Repository = "multi/localvolume";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Project, ProcessResult Push)? _shared;

    private string Reference(string arch) => $"{env.Registry.Address}/{Repository}:2.0.0-{arch}";

    [Fact]
    public async Task Each_architecture_is_pushed_under_its_own_tag_with_one_install_line_each()
    {
        var (_, push) = await PushBothAsync();

        Assert.Contains($"docker plugin install --alias localvolume {Reference("amd64")}", push.StandardOutput);
        Assert.Contains($"docker plugin install --alias localvolume {Reference("arm64")}", push.StandardOutput);
        Assert.Contains($"linux-arm64: docker plugin install --alias localvolume {Reference("arm64")}", push.StandardOutput);
        Assert.Contains("not from a manifest list", push.StandardOutput);
        // No untagged-by-architecture tag: only <tag>-<arch> exist.
        var plain = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{env.Registry.Address}/{Repository}:2.0.0"], timeout: TimeSpan.FromSeconds(60));
        Assert.False(plain.Succeeded, plain.Output);
    }

    [Fact]
    public async Task The_arm64_rootfs_holds_an_aarch64_binary_and_only_aarch64_libraries()
    {
        var (project, _) = await PushBothAsync();
        var rootfs = Path.Combine(PluginDirectory(project, "linux-arm64"), "rootfs");

        var binary = await ReadElfHeaderAsync(Path.Combine(rootfs, "app", "LocalVolume"));
        Assert.Contains("AArch64", binary);
        Assert.Matches(@"Type:\s+(EXEC|DYN)", binary);
        Assert.True(File.Exists(Path.Combine(rootfs, "lib", "ld-linux-aarch64.so.1")));
        Assert.True(File.Exists(Path.Combine(rootfs, "lib", "aarch64-linux-gnu", "libc.so.6")));
        var elfFiles = Directory.GetFiles(rootfs, "*", SearchOption.AllDirectories).Where(IsElf).ToList();
        Assert.True(elfFiles.Count >= 3, string.Join(", ", elfFiles));
        foreach (var file in elfFiles)
        {
            var header = await ReadElfHeaderAsync(file);
            Assert.True(header.Contains("AArch64", StringComparison.Ordinal), $"{file} is not aarch64:\n{header}");
        }
    }

    [Fact]
    public async Task Config_json_says_the_architecture_of_each_build()
    {
        var (project, _) = await PushBothAsync();

        var arm = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(PluginDirectory(project, "linux-arm64"), "config.json")))!;
        var x64 = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(PluginDirectory(project, "linux-x64"), "config.json")))!;

        Assert.Equal(("linux", "arm64"), (arm["os"]!.GetValue<string>(), arm["architecture"]!.GetValue<string>()));
        Assert.Equal(("linux", "amd64"), (x64["os"]!.GetValue<string>(), x64["architecture"]!.GetValue<string>()));
        Assert.Equal(["/app/LocalVolume"], arm["entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray());
        Assert.Equal("localvolume.sock", arm["interface"]!["socket"]!.GetValue<string>());
        // Apart from the architecture, both architectures describe the same plugin.
        arm.AsObject().Remove("architecture");
        x64.AsObject().Remove("architecture");
        Assert.Equal(x64.ToJsonString(), arm.ToJsonString());
    }

    [Fact]
    public async Task The_arm64_binary_answers_the_plugin_protocol_under_qemu_from_its_own_rootfs()
    {
        var (project, _) = await PushBothAsync();
        var rootfs = Path.Combine(PluginDirectory(project, "linux-arm64"), "rootfs");
        // -L makes qemu load the interpreter and every library from the rootfs, so a missing library fails here too.
        var launcher = Path.Combine(env.Feed.Root, "run-arm64-" + Guid.NewGuid().ToString("N")[..8] + ".sh");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec qemu-aarch64-static -L '{rootfs}' '{rootfs}/app/LocalVolume' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var plugin = await PluginProcess.StartAsync(launcher, "localvolume.sock");

        var capabilities = await plugin.Client.CapabilitiesAsync();
        Assert.True(capabilities.IsSuccess, capabilities + "\n" + plugin.Output);
        Assert.Equal("local", capabilities.Value);
        var create = await plugin.Client.CreateAsync("arm-volume");
        Assert.True(create.IsSuccess, create + "\n" + plugin.Output);
        var get = await plugin.Client.GetAsync("arm-volume");
        Assert.True(get.IsSuccess, get + "\n" + plugin.Output);
        Assert.Equal("arm-volume", get.Value!.Name);
    }

    [Fact]
    public async Task An_arm64_static_executable_links_from_the_package_and_answers_under_qemu_with_nothing_beside_it()
    {
        // PluginStaticExecutable for the other architecture (docs/msbuild.md, "A static executable"): lld and the cross
        // libc.a link it. After the push the arm64 native code is compiled, so this run only links, into a folder of its
        // own (NativeOutputPath) that leaves the pushed arm64 build as it is.
        var (project, _) = await PushBothAsync();
        var output = Path.Combine(project, "bin", "arm64-static");
        var run = await env.RunAsync("PluginDirectory",
            ["-p:RuntimeIdentifier=linux-arm64", "-p:PluginStaticExecutable=true", $"-p:NativeOutputPath={output}/native/", $"-p:PluginDirectory={output}/plugin/"],
            restore: true);
        Assert.True(run.Process.Succeeded, run.Process.Output);
        Assert.Contains("links glibc statically (PluginStaticExecutable). glibc is LGPL 2.1", run.Process.StandardOutput, StringComparison.Ordinal);

        var rootfs = Path.Combine(output, "plugin", "rootfs");
        var binary = Path.Combine(rootfs, "app", "LocalVolume");
        Assert.Equal([binary], Directory.GetFiles(rootfs, "*", SearchOption.AllDirectories));
        Assert.Contains("AArch64", await ReadElfAsync("-h", binary));
        Assert.DoesNotContain("INTERP", await ReadElfAsync("--program-headers", binary), StringComparison.Ordinal);
        Assert.DoesNotContain("(NEEDED)", await ReadElfAsync("--dynamic", binary), StringComparison.Ordinal);

        // No -L: a static executable loads nothing, so qemu needs no sysroot; a dynamic one would fail to find its loader.
        var launcher = Path.Combine(env.Feed.Root, "run-arm64-static-" + Guid.NewGuid().ToString("N")[..8] + ".sh");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec qemu-aarch64-static '{binary}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var plugin = await PluginProcess.StartAsync(launcher, "localvolume.sock");

        var create = await plugin.Client.CreateAsync("arm-static");
        Assert.True(create.IsSuccess, create + "\n" + plugin.Output);
        var get = await plugin.Client.GetAsync("arm-static");
        Assert.True(get.IsSuccess, get + "\n" + plugin.Output);
        Assert.Equal("arm-static", get.Value!.Name);
    }

    [Fact]
    public async Task The_registry_serves_a_plugin_manifest_whose_config_says_arm64()
    {
        await PushBothAsync();

        var manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(Reference("arm64")))!;
        Assert.Equal(Mooring.Oci.Manifests.MediaTypes.DockerManifestV2, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(Mooring.Oci.Manifests.MediaTypes.PluginConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        var config = JsonNode.Parse(await Skopeo.InspectRawAsync(Reference("arm64"), "--config"))!;
        Assert.Equal(("linux", "arm64"), (config["os"]!.GetValue<string>(), config["architecture"]!.GetValue<string>()));

        // skopeo's own reading, asked for arm64 as a client on an arm64 machine would be.
        var inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--override-arch", "arm64", "--tls-verify=false", "docker://" + Reference("arm64")], timeout: TimeSpan.FromSeconds(60));
        Assert.True(inspect.Succeeded, inspect.Output);
        var summary = JsonNode.Parse(inspect.StandardOutput)!;
        Assert.Equal(("linux", "arm64"), (summary["Os"]!.GetValue<string>(), summary["Architecture"]!.GetValue<string>()));

        var amd = JsonNode.Parse(await Skopeo.InspectRawAsync(Reference("amd64"), "--config"))!;
        Assert.Equal("amd64", amd["architecture"]!.GetValue<string>());
        Assert.NotEqual(manifest["config"]!["digest"]!.GetValue<string>(), JsonNode.Parse(await Skopeo.InspectRawAsync(Reference("amd64")))!["config"]!["digest"]!.GetValue<string>());
    }

    private static string PluginDirectory(string project, string rid) => Path.Combine(project, "bin", "Release", "net10.0", rid, "plugin");

    /// <summary>
    /// One push of both architectures for every test of this class, from the shared project: its x64 publish
    /// (<see cref="PushEnvironment.EnsurePublishedAsync"/>) is up to date, so only arm64 is compiled here.
    /// </summary>
    private async Task<(string Project, ProcessResult Push)> PushBothAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var push = await env.RunAsync("PluginPush",
                    ["-p:PluginRegistry=" + env.Registry.Address, "-p:PluginRepository=" + Repository, "-p:PluginTag=2.0.0",
                     "-p:PluginRuntimeIdentifiers=linux-x64%3Blinux-arm64"], restore: true);
                _shared = (env.Project, push.Process);
            }

            Assert.True(_shared.Value.Push.Succeeded, _shared.Value.Push.Output);
            return _shared.Value;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool IsElf(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    /// <summary><c>readelf -h</c>: the header as binutils reads it, independent of Mooring's own ELF reader.</summary>
    private static Task<string> ReadElfHeaderAsync(string path) => ReadElfAsync("-h", path);

    private static async Task<string> ReadElfAsync(string what, string path)
    {
        var result = await ProcessRunner.RunAsync("readelf", [what, "--wide", path], timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.Succeeded, result.Output);
        return result.StandardOutput;
    }
}
