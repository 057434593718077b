using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;

namespace Mooring.State.Tests;

/// <summary>
/// The high-level model's bookkeeping, in process and without the generator: what Mooring does around the author's
/// hooks when they fail, are cancelled, or the plugin restarts. (The published samples run the same code under SIGKILL
/// in tests/Mooring.Reliability.Tests.)
/// </summary>
public sealed class ManagedVolumesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Attach_runs_on_the_first_mount_and_detach_after_the_last_with_one_ID_mounted_twice()
    {
        var driver = new RecordingDriver();
        var volumes = await StartAsync(driver);
        await volumes.CreateAsync("v", volumes.BindOptions("v", null), default);

        var path = await volumes.MountAsync("v", "a", default);
        await volumes.MountAsync("v", "a", default); // docker cp sends the same ID again
        await volumes.MountAsync("v", "b", default);
        await volumes.UnmountAsync("v", "a", default);
        await volumes.UnmountAsync("v", "b", default);
        Assert.Equal(["provision v", "attach v"], driver.Calls);
        await volumes.UnmountAsync("v", "a", default);
        await volumes.UnmountAsync("v", "a", default); // repeated: harmless
        Assert.Equal(["provision v", "attach v", "detach v"], driver.Calls);
        Assert.Equal(Path.Join(_dir.Path, "volumes", "v"), path);
    }

    [Fact]
    public async Task Get_List_Path_and_Capabilities_answer_from_memory_without_calling_the_author()
    {
        var driver = new RecordingDriver();
        var volumes = await StartAsync(driver);
        await volumes.CreateAsync("v", volumes.BindOptions("v", new Dictionary<string, string> { ["k"] = "x" }), default);
        driver.Calls.Clear();

        var info = await volumes.GetAsync("v", default);
        Assert.Equal("x", info!.Status!["k"]);
        Assert.Equal("0", info.Status["mounts"]);
        Assert.Single(await volumes.ListAsync(default));
        Assert.Equal(info.Mountpoint, await volumes.PathAsync("v", default));
        Assert.Equal(VolumeScope.Local, (await volumes.CapabilitiesAsync(default)).Scope);
        Assert.Null(await volumes.GetAsync("unknown", default));
        Assert.Equal(["describe v", "describe v"], driver.Calls); // Get and List; Path and Capabilities need nothing
    }

    [Fact]
    public async Task A_failed_provision_leaves_no_volume_no_directory_and_no_record()
    {
        var driver = new RecordingDriver { FailProvision = true };
        var volumes = await StartAsync(driver);

        var error = await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.CreateAsync("v", volumes.BindOptions("v", null), default));
        Assert.Equal("volume 'v': the backend said no", error.Message);
        Assert.Null(await volumes.GetAsync("v", default));
        Assert.False(Directory.Exists(Path.Join(_dir.Path, "volumes", "v")));
        Assert.Empty(Directory.GetFiles(Path.Join(_dir.Path, ".mooring", "volumes"), "*.json"));
        Assert.Contains("destroy v", driver.Calls);

        driver.FailProvision = false;
        await volumes.CreateAsync("v", volumes.BindOptions("v", null), default);
        Assert.NotNull(await volumes.GetAsync("v", default));
    }

    [Fact]
    public async Task A_cancelled_remove_keeps_the_volume_listed_refuses_mounts_and_can_be_removed_again()
    {
        var driver = new RecordingDriver();
        var volumes = await StartAsync(driver);
        await volumes.CreateAsync("v", volumes.BindOptions("v", null), default);
        await File.WriteAllTextAsync(Path.Join(_dir.Path, "volumes", "v", "f"), "data");

        // dockerd gives up while the backend is slow to destroy.
        driver.BlockDestroy = true;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await volumes.RemoveAsync("v", cancel.Token));

        Assert.NotNull(await volumes.GetAsync("v", default));
        var mount = await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.MountAsync("v", "a", default));
        Assert.Equal("volume 'v' is being removed (an earlier Remove did not finish); remove it again", mount.Message);

        driver.BlockDestroy = false;
        await volumes.RemoveAsync("v", default);
        Assert.Null(await volumes.GetAsync("v", default));
        Assert.False(Directory.Exists(Path.Join(_dir.Path, "volumes", "v")));
    }

    [Fact]
    public async Task Remove_is_refused_while_a_mount_is_counted_and_the_data_stays()
    {
        var volumes = await StartAsync(new RecordingDriver());
        await volumes.CreateAsync("v", volumes.BindOptions("v", null), default);
        var path = await volumes.MountAsync("v", "a", default);
        await File.WriteAllTextAsync(Path.Join(path, "f"), "data");

        var error = await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.RemoveAsync("v", default));
        Assert.Equal("volume 'v' is in use: it is still mounted (1 mount(s)); stop the containers that use it first", error.Message);
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Join(path, "f")));

        // And after a restart, which reloads the counts.
        volumes = await StartAsync(new RecordingDriver());
        await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.RemoveAsync("v", default));
    }

    [Fact]
    public async Task Options_and_properties_are_recorded_and_bound_again_after_a_restart()
    {
        var driver = new RecordingDriver { PropertyToSet = ("backend-id", "b-42") };
        var volumes = await StartAsync(driver);
        await volumes.CreateAsync("v", volumes.BindOptions("v", new Dictionary<string, string> { ["k"] = "x" }), default);
        Assert.Throws<InvalidOperationException>(() => driver.LastVolume!.SetProperty("late", "no"));

        var restarted = new RecordingDriver();
        volumes = await StartAsync(restarted);
        await volumes.MountAsync("v", "a", default);
        var volume = restarted.LastVolume!;
        Assert.Equal("x", volume.Options.Values["k"]);
        Assert.Equal("b-42", volume.Properties["backend-id"]);
    }

    [Fact]
    public async Task A_volume_whose_recorded_options_no_longer_bind_is_kept_and_refused_with_the_reason()
    {
        var volumes = await StartAsync(new RecordingDriver());
        await volumes.CreateAsync("v", volumes.BindOptions("v", new Dictionary<string, string> { ["k"] = "x" }), default);
        await File.WriteAllTextAsync(Path.Join(_dir.Path, "volumes", "v", "f"), "data");

        // The next version dropped option 'k'.
        volumes = await StartAsync(new RecordingDriver(), (name, raw) => raw is { Count: > 0 }
            ? throw new VolumeOptionException($"volume '{name}': unknown option 'k' (known: none)")
            : new Opts(new Dictionary<string, string>()));

        Assert.Null(await volumes.GetAsync("v", default));
        var create = await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.CreateAsync("v", volumes.BindOptions("v", null), default));
        Assert.Contains("holds options this plugin version no longer binds (volume 'v': unknown option 'k' (known: none))", create.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.RemoveAsync("v", default));
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Join(_dir.Path, "volumes", "v", "f")));
    }

    [Fact]
    public async Task A_failed_attach_is_not_counted_so_dockerd_s_missing_unmount_does_not_matter()
    {
        var driver = new RecordingDriver { FailAttach = true };
        var volumes = await StartAsync(driver);
        await volumes.CreateAsync("v", volumes.BindOptions("v", null), default);

        await Assert.ThrowsAsync<VolumeDriverException>(async () => await volumes.MountAsync("v", "a", default));
        Assert.Equal("0", (await volumes.GetAsync("v", default))!.Status!["mounts"]);
        await volumes.RemoveAsync("v", default);
    }

    private async Task<ManagedVolumes<Opts>> StartAsync(RecordingDriver driver, Func<string, IReadOnlyDictionary<string, string>?, Opts>? bind = null)
    {
        var context = new PluginContext(_dir.Path, Path.Join(_dir.Path, "p.sock"), NullLoggerFactory.Instance);
        var volumes = new ManagedVolumes<Opts>(driver, bind ?? ((_, raw) => new Opts(raw ?? new Dictionary<string, string>())), context);
        await volumes.StartAsync(default);
        return volumes;
    }

    public sealed record Opts(IReadOnlyDictionary<string, string> Values);

    private sealed class RecordingDriver : IManagedVolumeDriver<Opts>
    {
        public List<string> Calls { get; } = [];

        public bool FailProvision { get; set; }

        public bool FailAttach { get; set; }

        public bool BlockDestroy { get; set; }

        public (string Key, string Value)? PropertyToSet { get; init; }

        public ManagedVolume<Opts>? LastVolume { get; private set; }

        public ValueTask ProvisionAsync(ManagedVolume<Opts> volume, CancellationToken cancellationToken)
        {
            Record("provision", volume);
            if (PropertyToSet is { } property)
            {
                volume.SetProperty(property.Key, property.Value);
            }

            return FailProvision ? throw new VolumeDriverException($"volume '{volume.Name}': the backend said no") : ValueTask.CompletedTask;
        }

        public ValueTask AttachAsync(ManagedVolume<Opts> volume, CancellationToken cancellationToken)
        {
            Record("attach", volume);
            return FailAttach ? throw new VolumeDriverException($"volume '{volume.Name}': cannot attach") : ValueTask.CompletedTask;
        }

        public ValueTask DetachAsync(ManagedVolume<Opts> volume, CancellationToken cancellationToken)
        {
            Record("detach", volume);
            return ValueTask.CompletedTask;
        }

        public async ValueTask DestroyAsync(ManagedVolume<Opts> volume, CancellationToken cancellationToken)
        {
            Record("destroy", volume);
            if (BlockDestroy)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        public IReadOnlyDictionary<string, string>? DescribeStatus(ManagedVolume<Opts> volume)
        {
            Record("describe", volume);
            return volume.Options.Values;
        }

        private void Record(string what, ManagedVolume<Opts> volume)
        {
            lock (Calls)
            {
                Calls.Add(what + " " + volume.Name);
            }

            LastVolume = volume;
        }
    }
}
