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
    public async Task LocalVolume_start_up_adopts_old_layout_volumes_and_sweeps_data_without_a_record()
    {
        var root = Path.Combine(Path.GetTempPath(), "mooring-rp-" + Guid.NewGuid().ToString("N")[..8]);
        var volumes = Path.Combine(root, "data", "volumes");

        // Written by the first version of the sample (a "created" file, no state store).
        Directory.CreateDirectory(Path.Combine(volumes, "old", "data"));
        await File.WriteAllTextAsync(Path.Combine(volumes, "old", "created"), "2024-01-02T03:04:05.0000000+00:00");
        await File.WriteAllTextAsync(Path.Combine(volumes, "old", "data", "f"), "old data");

        // Left by a Create killed after the rename and before the record, and by a Remove killed mid-delete.
        Directory.CreateDirectory(Path.Combine(volumes, "unacknowledged", "data"));
        await File.WriteAllTextAsync(Path.Combine(volumes, "unacknowledged", "data", "stale"), "x");
        Directory.CreateDirectory(Path.Combine(root, "data", ".staging", "remove-0123", "data"));

        await using var plugin = await PluginProcess.StartAsync(samples.LocalVolume, SampleKind.Local.SocketName, root);
        Assert.Equal(["old"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
        var old = (await plugin.Client.GetAsync("old")).Value!;
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), old.CreatedAt);
        Assert.Equal("old data", await File.ReadAllTextAsync(Path.Combine(old.Mountpoint!, "f")));
        Assert.False(Directory.Exists(Path.Combine(volumes, "unacknowledged")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "data", ".staging")));

        // A new volume of the swept name starts empty: it never inherits the stale data.
        Assert.True((await plugin.Client.CreateAsync("unacknowledged")).IsSuccess);
        Assert.Empty(Directory.GetFileSystemEntries(SampleKind.Local.DataPathOf(plugin, "unacknowledged")));
    }

    private static async Task MountTmpfsAsync(string path)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", path])!;
        await mount.WaitForExitAsync();
        Assert.Equal(0, mount.ExitCode);
    }
}
