using System.Diagnostics;
using System.Text.Json.Nodes;
using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// What an operator does to a running directory plugin — roll back to an older version, run out of disk, let a
/// container leave hostile trees in a volume — against the published-layout LocalVolume sample (the template's driver,
/// see LocalVolumeIsTheTemplateTests): nothing that cannot be read is ever deleted, and every failure names its cause.
/// </summary>
[Collection(BuiltSamplesCollection.Name)]
public sealed class StateSafetyTests(BuiltSamples samples)
{
    private const string Id = "2222222222222222222222222222222222222222222222222222222222222222";

    [RootFact]
    public async Task A_record_from_a_newer_version_keeps_its_volume_and_data_across_a_rollback_and_a_re_upgrade()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("v", new Dictionary<string, string> { ["mode"] = "0750" })).IsSuccess);
        var data = (await plugin.Client.MountAsync("v", Id)).Value!; // a container still uses it
        await File.WriteAllTextAsync(Path.Combine(data, "precious"), "data");
        await plugin.KillAsync();
        await StateFiles.SettleAsync(plugin.DataRoot); // as a start of the newer version would, before it writes

        // What the newer version wrote: a format this (older) one does not know.
        var record = RecordPath(plugin, "v");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(record))!.AsObject();
        var original = json.ToJsonString();
        json["version"] = 3;
        json["tier"] = "gold";
        await File.WriteAllTextAsync(record, json.ToJsonString());
        var newer = await File.ReadAllBytesAsync(record);

        // Rolled back: the older plugin starts over that state.
        await plugin.RestartAsync();
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
        var create = await plugin.Client.CreateAsync("v");
        Assert.False(create.IsSuccess);
        Assert.Contains("volume 'v'", create.Err, StringComparison.Ordinal);
        Assert.Contains("newer", create.Err, StringComparison.Ordinal);
        Assert.False((await plugin.Client.RemoveAsync("v")).IsSuccess);
        Assert.False((await plugin.Client.MountAsync("v", "other")).IsSuccess);
        Assert.Equal(newer, await File.ReadAllBytesAsync(record));
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(data, "precious")));

        // Upgraded again: the newer version reads its own record (here: the record as it was) and has everything.
        await plugin.KillAsync();
        await File.WriteAllTextAsync(record, original);
        await plugin.RestartAsync();
        var got = (await plugin.Client.GetAsync("v")).Value!;
        Assert.Equal("1", got.Status!["mounts"].GetString());
        Assert.Equal("0750", got.Status["mode"].GetString());
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(got.Mountpoint!, "precious")));
    }

    [RootFact]
    public async Task A_torn_record_is_never_deleted_and_keeps_its_data()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("torn")).IsSuccess);
        var data = SampleKind.Local.DataPathOf(plugin, "torn");
        await File.WriteAllTextAsync(Path.Combine(data, "precious"), "data");
        await plugin.KillAsync();
        await StateFiles.SettleAsync(plugin.DataRoot); // the record's file, which a torn write could have cut

        var record = RecordPath(plugin, "torn");
        var bytes = await File.ReadAllBytesAsync(record);
        var torn = bytes[..(bytes.Length / 2)];
        await File.WriteAllBytesAsync(record, torn);

        await plugin.RestartAsync();
        var create = await plugin.Client.CreateAsync("torn");
        Assert.False(create.IsSuccess);
        Assert.Contains("volume 'torn'", create.Err, StringComparison.Ordinal);
        Assert.Equal(torn, await File.ReadAllBytesAsync(record));
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(data, "precious")));

        // And across another restart: nothing sweeps it later either.
        await plugin.KillAsync();
        await plugin.RestartAsync();
        Assert.Equal(torn, await File.ReadAllBytesAsync(record));
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(data, "precious")));
    }

    [RootFact]
    public async Task Remove_deletes_symlinks_without_following_them_and_trees_deeper_than_PATH_MAX()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("victim")).IsSuccess);
        Assert.True((await plugin.Client.CreateAsync("hostile")).IsSuccess);
        var victim = SampleKind.Local.DataPathOf(plugin, "victim");
        await File.WriteAllTextAsync(Path.Combine(victim, "keep"), "sibling");
        var outside = Path.Combine(plugin.Root, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "keep"), "host");

        // What a container can leave behind: links out of the volume, into a sibling volume, and a tree 100 levels of
        // 100-byte names deep (about 10 KB of path, beyond PATH_MAX), built with relative steps as a process would.
        var hostile = SampleKind.Local.DataPathOf(plugin, "hostile");
        File.CreateSymbolicLink(Path.Combine(hostile, "to-outside"), outside);
        File.CreateSymbolicLink(Path.Combine(hostile, "to-sibling"), victim);
        File.CreateSymbolicLink(Path.Combine(hostile, "to-root"), "/");
        await RunAsync("bash", "-c", $"cd '{hostile}' && for i in $(seq 100); do d=$(printf 'd%.0s' $(seq 100)); mkdir \"$d\" && cd \"$d\" || exit 1; done; echo deep > f");

        var removed = await plugin.Client.RemoveAsync("hostile");
        Assert.True(removed.IsSuccess, removed.ToString());
        Assert.False(Directory.Exists(hostile));
        Assert.Equal("host", await File.ReadAllTextAsync(Path.Combine(outside, "keep")));
        Assert.Equal("sibling", await File.ReadAllTextAsync(Path.Combine(victim, "keep")));
        Assert.Equal(["victim"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
    }

    [RootFact]
    public async Task A_full_data_root_fails_create_with_the_cause_and_keeps_the_old_state()
    {
        var root = Path.Combine(Path.GetTempPath(), "mooring-full-" + Guid.NewGuid().ToString("N")[..8]);
        var dataRoot = Path.Combine(root, "data");
        Directory.CreateDirectory(dataRoot);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dataRoot);
        try
        {
            await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName, root);
            Assert.True((await plugin.Client.CreateAsync("before")).IsSuccess);
            var filler = Path.Combine(dataRoot, "filler");
            await RunAsync("bash", "-c", $"dd if=/dev/zero of='{filler}' bs=64k 2>/dev/null; true");

            // A change is a short record in the state log, which keeps up to 64 KiB of written zeros past its end
            // (StateLog.PreallocationChunk): the Creates that fit there succeed, the first that needs more space fails,
            // and every one before it was made durable.
            var created = new List<string>();
            string? refused = null;
            for (var i = 0; i < 2000 && refused is null; i++)
            {
                var create = await plugin.Client.CreateAsync($"v{i}");
                if (create.IsSuccess)
                {
                    created.Add($"v{i}");
                    continue;
                }

                refused = $"v{i}";
                Assert.StartsWith($"volume '{refused}':", create.Err, StringComparison.Ordinal);
                Assert.Contains("no space left on the plugin's data root", create.Err, StringComparison.Ordinal);
            }

            Assert.NotNull(refused);
            Assert.Equal(created.Append("before").Order(StringComparer.Ordinal), (await plugin.Client.ListAsync()).Value!.Select(v => v.Name).Order(StringComparer.Ordinal));
            Assert.False((await plugin.Client.GetAsync(refused)).IsSuccess);

            File.Delete(filler);
            Assert.True((await plugin.Client.CreateAsync(refused)).IsSuccess);
            Assert.Contains(refused, (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
        }
        finally
        {
            // The plugin fixture unmounts what is below its root when it is disposed; this is for an early failure.
            if (KernelMounts.IsMountPoint(dataRoot))
            {
                await RunAsync("umount", "-l", dataRoot);
            }

            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string RecordPath(PluginProcess plugin, string volume) => Path.Combine(plugin.DataRoot, ".mooring", "volumes", volume + ".json");

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed: {error}");
    }
}
