using System.Text.Json;
using Mooring.Build.Elf;
using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// samples/LocalVolume published with <c>PluginStaticExecutable=true</c> (eng/publish-test-samples.sh's "static"
/// variant): one static-pie executable with glibc linked in, and a rootfs holding that file alone (docs/footprint.md,
/// "A static executable"). It must serve what the default build serves: durable state, a restart over it, and ctl.
/// </summary>
public sealed class StaticExecutableSampleTests
{
    private const string Id = "5555555555555555555555555555555555555555555555555555555555555555";

    [Fact]
    public async Task The_binary_needs_no_loader_or_library_and_the_rootfs_holds_it_alone()
    {
        var published = await PublishedSamples.GetAsync("LocalVolume:static");
        var binary = ElfFile.Read(published.Binary);

        Assert.Null(binary.Interpreter);
        Assert.Empty(binary.Needed);
        Assert.Equal(["app/LocalVolume"], RootfsFiles(published));

        // Position independent (ASLR moves it) and, where the default build packs its relocations, packed too.
        var dynamicSection = (await ProcessRunner.RunAsync("readelf", ["--dynamic", "--wide", published.Binary])).EnsureSuccess().StandardOutput;
        Assert.Contains("PIE", dynamicSection);
        Assert.Equal(PackedRelocations.Decide(BuildMachine.RuntimeIdentifier, [], null).Packed, dynamicSection.Contains("(RELR)", StringComparison.Ordinal));
        Assert.Empty(SamplePublish.WarningLines(published.PublishLog));
        Assert.Contains("links glibc statically (PluginStaticExecutable). glibc is LGPL 2.1", published.PublishLog, StringComparison.Ordinal);
        Assert.Contains("LocalVolume.o with it", published.PublishLog, StringComparison.Ordinal);

        // What the setting changes: the default build of the same sample is dynamic and carries glibc in its rootfs.
        var dynamic = await PublishedSamples.GetAsync("LocalVolume");
        Assert.NotNull(ElfFile.Read(dynamic.Binary).Interpreter);
        Assert.Contains("libc.so.6", ElfFile.Read(dynamic.Binary).Needed);
        Assert.Contains(RootfsFiles(dynamic), path => path.EndsWith("/libc.so.6", StringComparison.Ordinal));
        Assert.DoesNotContain("glibc is LGPL", dynamic.PublishLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_a_durable_lifecycle_restarts_over_its_state_and_answers_ctl()
    {
        var published = await PublishedSamples.GetAsync("LocalVolume:static");
        await using var plugin = await PluginProcess.StartAsync(published.Binary, "static.sock");
        var client = plugin.Client;

        Assert.True((await client.CreateAsync("kept", new Dictionary<string, string> { ["mode"] = "0750" })).IsSuccess);
        var mount = await client.MountAsync("kept", Id);
        Assert.True(mount.IsSuccess, mount.ToString());
        await File.WriteAllTextAsync(Path.Combine(mount.Value!, "hello.txt"), "hello");
        Assert.True((await client.UnmountAsync("kept", Id)).IsSuccess);

        await plugin.TerminateAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, plugin.ExitCode);
        await plugin.RestartAsync();

        var got = await plugin.Client.GetAsync("kept");
        Assert.True(got.IsSuccess, got.ToString());
        Assert.Equal("0750", got.Value!.Status!["mode"].GetString());
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(got.Value.Mountpoint!, "hello.txt")));

        // ctl is the same binary run on the host, over the management socket (System.Net.Sockets, not the server's path).
        var ctl = await ProcessRunner.RunAsync(published.Binary, ["ctl", "--socket", Path.Combine(Path.GetDirectoryName(plugin.SocketPath)!, "static.ctl.sock"), "--json", "volumes"],
            timeout: TimeSpan.FromMinutes(1));
        Assert.True(ctl.Succeeded, ctl.Output);
        using (var answer = JsonDocument.Parse(ctl.StandardOutput))
        {
            Assert.Equal(["kept"], answer.RootElement.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        }


        Assert.True((await plugin.Client.RemoveAsync("kept")).IsSuccess);
        Assert.False(Directory.Exists(got.Value.Mountpoint));
    }

    private static string[] RootfsFiles(SamplePublish published)
    {
        var rootfs = Path.Combine(published.PluginDirectory, "rootfs");
        var files = Directory.GetFiles(rootfs, "*", SearchOption.AllDirectories);
        for (var i = 0; i < files.Length; i++)
        {
            files[i] = Path.GetRelativePath(rootfs, files[i]);
        }

        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
