using System.Diagnostics;
using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>The deterministic versions of what the kill -9 test hits at random.</summary>
[Collection(BuiltSamplesCollection.Name)]
public sealed class SafeRemoveAndReconcileTests(BuiltSamples samples)
{
    private const string Id = "1111111111111111111111111111111111111111111111111111111111111111";

    [RootFact]
    public async Task LocalVolume_refuses_to_remove_a_volume_with_a_mount_inside_and_keeps_it_whole()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("v")).IsSuccess);
        var data = SampleKind.Local.DataPathOf(plugin, "v");
        var inner = Path.Combine(data, "inner");
        Directory.CreateDirectory(inner);
        await MountTmpfsAsync(inner);
        await File.WriteAllTextAsync(Path.Combine(inner, "precious"), "x");

        var refused = await plugin.Client.RemoveAsync("v");
        Assert.False(refused.IsSuccess);
        Assert.Contains("is in use", refused.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(inner, "precious")));
        Assert.Equal(["v"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));

        Posix.Unmount(inner);
        Assert.True((await plugin.Client.RemoveAsync("v")).IsSuccess);
        Assert.False(Directory.Exists(data));
    }

    [RootFact]
    public async Task TmpfsVolume_adopts_a_counted_tmpfs_unmounts_an_uncounted_one_and_forgets_a_vanished_one()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.TmpfsVolume, SampleKind.Tmpfs.SocketName);
        
        Assert.True((await plugin.Client.CreateAsync("held", new Dictionary<string, string> { ["size"] = "4m" })).IsSuccess);
        Assert.True((await plugin.Client.CreateAsync("stray")).IsSuccess);
        var held = (await plugin.Client.MountAsync("held", Id)).Value!;
        await File.WriteAllTextAsync(Path.Combine(held, "f"), "kept");

        // Dies; meanwhile a tmpfs appears where "stray" would be mounted, as if a Mount had crashed before counting it.
        await plugin.KillAsync();
        var stray = SampleKind.Tmpfs.DataPathOf(plugin, "stray");
        Directory.CreateDirectory(stray);
        await MountTmpfsAsync(stray);
        await plugin.RestartAsync();

        Assert.Equal([held], KernelMounts.Below(plugin.DataRoot));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(held, "f")));
        Assert.Equal("1", (await plugin.Client.GetAsync("held")).Value!.Status!["mounts"].GetString());
        Assert.False((await plugin.Client.RemoveAsync("held")).IsSuccess);

        // The host "reboots": the tmpfs is gone. The count is dropped at start-up, and the next Mount mounts afresh.
        await plugin.KillAsync();
        Posix.Unmount(held);
        await plugin.RestartAsync();
        Assert.Equal("0", (await plugin.Client.GetAsync("held")).Value!.Status!["mounts"].GetString());
        Assert.Equal(held, (await plugin.Client.MountAsync("held", Id)).Value);
        Assert.True(KernelMounts.IsMountPoint(held));
        Assert.False(File.Exists(Path.Combine(held, "f")));
        Assert.True((await plugin.Client.UnmountAsync("held", Id)).IsSuccess);
        Assert.Empty(KernelMounts.Below(plugin.DataRoot));
        Assert.True((await plugin.Client.RemoveAsync("held")).IsSuccess);
        Assert.True((await plugin.Client.RemoveAsync("stray")).IsSuccess);
    }

    [RootFact]
    public async Task TmpfsVolume_enforces_its_size_limit()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.TmpfsVolume, SampleKind.Tmpfs.SocketName);
        Assert.True((await plugin.Client.CreateAsync("small", new Dictionary<string, string> { ["size"] = "1m", ["mode"] = "1777" })).IsSuccess);
        var path = (await plugin.Client.MountAsync("small", Id)).Value!;
        Assert.Equal((UnixFileMode)Convert.ToInt32("1777", 8), File.GetUnixFileMode(path));
        var full = await Assert.ThrowsAsync<IOException>(() => File.WriteAllBytesAsync(Path.Combine(path, "big"), new byte[2 * 1024 * 1024]));
        Assert.Contains("space", full.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True((await plugin.Client.UnmountAsync("small", Id)).IsSuccess);
        Assert.False(KernelMounts.IsMountPoint(path));

        var bad = await plugin.Client.CreateAsync("bad", new Dictionary<string, string> { ["size"] = "lots" });
        Assert.StartsWith("volume 'bad': option 'size'", bad.Err, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task LocalVolume_leaves_a_directory_it_did_not_record_alone_and_refuses_to_create_over_it()
    {
        var root = Path.Combine(Path.GetTempPath(), "mooring-rp-" + Guid.NewGuid().ToString("N")[..8]);
        var foreign = Path.Combine(root, "data", "volumes", "foreign");

        // Not written by this SDK (no record of any phase): an operator's copy, another tool's, a newer layout's.
        Directory.CreateDirectory(foreign);
        await File.WriteAllTextAsync(Path.Combine(foreign, "f"), "not yours");

        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName, root);
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
        Assert.Equal("not yours", await File.ReadAllTextAsync(Path.Combine(foreign, "f")));

        var create = await plugin.Client.CreateAsync("foreign");
        Assert.False(create.IsSuccess);
        Assert.Equal($"volume 'foreign': '{foreign}' already exists but no volume of this plugin records it; move it away (or delete it) and create the volume again", create.Err);
        Assert.Equal("not yours", await File.ReadAllTextAsync(Path.Combine(foreign, "f")));
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
    }

    [RootFact]
    public async Task LocalVolume_rolls_back_an_unacknowledged_create_and_finishes_an_interrupted_remove()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("half-created")).IsSuccess);
        Assert.True((await plugin.Client.CreateAsync("half-removed")).IsSuccess);
        Assert.True((await plugin.Client.CreateAsync("kept")).IsSuccess);
        await File.WriteAllTextAsync(Path.Combine(SampleKind.Local.DataPathOf(plugin, "kept"), "f"), "kept");
        await plugin.KillAsync();
        await StateFiles.SettleAsync(plugin.DataRoot); // the records as files, so the edits below are what the start reads

        // What a kill between the SDK's steps leaves: a record still in its Creating phase (Create not acknowledged),
        // and one in its Removing phase with part of the data gone (Remove begun).
        SetPhase(plugin, "half-created", "creating");
        SetPhase(plugin, "half-removed", "removing");
        await plugin.RestartAsync();

        Assert.Equal(["kept"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
        Assert.Equal(["kept"], Directory.GetDirectories(Path.Combine(plugin.DataRoot, "volumes")).Select(Path.GetFileName));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(SampleKind.Local.DataPathOf(plugin, "kept"), "f")));
        Assert.True((await plugin.Client.CreateAsync("half-created")).IsSuccess);
    }

    [RootFact]
    public async Task LocalVolume_remove_that_fails_keeps_the_volume_listed_and_removable()
    {
        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName);
        Assert.True((await plugin.Client.CreateAsync("v")).IsSuccess);
        var data = SampleKind.Local.DataPathOf(plugin, "v");
        var stuck = Path.Combine(data, "stuck");
        Directory.CreateDirectory(stuck);
        await File.WriteAllTextAsync(Path.Combine(stuck, "f"), "x");

        // An immutable file cannot be unlinked, even by root: the delete stops half-way.
        using (var chattr = Process.Start("chattr", ["+i", Path.Combine(stuck, "f")])!)
        {
            await chattr.WaitForExitAsync();
            Assert.True(chattr.ExitCode == 0, "chattr +i failed: the test needs a file system with immutable files (ext4, xfs, btrfs)");
        }

        try
        {
            var failed = await plugin.Client.RemoveAsync("v");
            Assert.False(failed.IsSuccess);
            Assert.Contains("volume 'v'", failed.Err, StringComparison.Ordinal);
            Assert.Equal(["v"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
            var mount = await plugin.Client.MountAsync("v", Id);
            Assert.Equal("volume 'v' is being removed (an earlier Remove did not finish); remove it again", mount.Err);
        }
        finally
        {
            using var undo = Process.Start("chattr", ["-i", Path.Combine(stuck, "f")])!;
            await undo.WaitForExitAsync();
        }

        Assert.True((await plugin.Client.RemoveAsync("v")).IsSuccess);
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
        Assert.False(Directory.Exists(data));
    }

    private static void SetPhase(PluginProcess plugin, string volume, string phase)
    {
        var record = Path.Combine(plugin.DataRoot, ".mooring", "volumes", volume + ".json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!.AsObject();
        json["phase"] = phase;
        File.WriteAllText(record, json.ToJsonString());
    }

    private static async Task MountTmpfsAsync(string path)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", path])!;
        await mount.WaitForExitAsync();
        Assert.Equal(0, mount.ExitCode);
    }
}
