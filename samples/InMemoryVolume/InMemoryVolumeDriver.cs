using System.Collections.Concurrent;
using Mooring;
using Mooring.Hosting;

namespace Mooring.Samples.InMemoryVolume;

/// <summary>
/// The smallest useful driver: volume records in a <see cref="ConcurrentDictionary{TKey, TValue}"/>, one directory per
/// volume under the data root. It is the benchmark subject that isolates what the SDK costs per request (the same
/// semantics as the Go yardstick in bench/goanchor), and the shape to start from for a driver that keeps its own state.
/// </summary>
/// <remarks>
/// <para>The records live in memory only: a plugin restart forgets every volume (the directories stay on disk). That
/// is why this driver fails the conformance check <c>list-after-restart</c>; samples/LocalVolume is the durable one.</para>
/// <para>Every method completes synchronously and never blocks: the answers come from memory, and the only file
/// system calls are one mkdir on Mount and one delete on Remove.</para>
/// </remarks>
[VolumePlugin(
    Socket = "inmemoryvolume.sock",
    Description = "Mooring sample: volume records kept in memory (forgotten on restart)",
    PropagatedMount = "/data")]
public sealed partial class InMemoryVolumeDriver : IVolumeDriver<NoOptions>
{
    private readonly ConcurrentDictionary<string, Volume> _volumes = new(StringComparer.Ordinal);
    private readonly string _dataRoot;

    /// <summary>Creates the driver; volumes live in directories under the plugin's data root.</summary>
    /// <param name="context">The running plugin.</param>
    public InMemoryVolumeDriver(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _dataRoot = context.DataRoot;
    }

    /// <summary>Records the volume; a Create of an existing volume changes nothing (dockerd sends it again).</summary>
    /// <param name="name">The volume name (validated by the host).</param>
    /// <param name="options">None are accepted.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>A completed task.</returns>
    public ValueTask CreateAsync(string name, NoOptions options, CancellationToken cancellationToken)
    {
        // GetOrAdd may build a Volume it then discards when two Creates race; both answer success, one record wins.
        _volumes.GetOrAdd(name, static (n, root) => new Volume(n, Path.Combine(root, n), DateTimeOffset.UtcNow), _dataRoot);
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets the volume and deletes its directory; refused while any mount is counted.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>A completed task.</returns>
    public ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (!_volumes.TryGetValue(name, out var volume))
        {
            return ValueTask.CompletedTask; // already gone: dockerd may retry a Remove
        }

        lock (volume.Mounts)
        {
            if (volume.Mounts.Count > 0)
            {
                throw VolumeDriverException.InUse(name);
            }

            // Under the lock, so that no Mount can count this volume between the check and the removal. The directory
            // goes first: when deleting it fails, the volume stays listed and can be removed again.
            if (Directory.Exists(volume.Info.Mountpoint))
            {
                Directory.Delete(volume.Info.Mountpoint!, recursive: true); // removes symlinks inside, never follows them
            }

            _volumes.TryRemove(new KeyValuePair<string, Volume>(name, volume));
            volume.Removed = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Counts one more mount for this ID (the same ID can arrive twice, for <c>docker cp</c>) and makes sure
    /// the volume's directory exists.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">The mount ID.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>The volume's directory.</returns>
    public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        var volume = Find(name);
        lock (volume.Mounts)
        {
            if (volume.Removed)
            {
                throw VolumeDriverException.NotFound(name); // removed while this Mount waited for the lock
            }

            // The directory first: a failed Mount must count nothing, because dockerd never sends its Unmount.
            Directory.CreateDirectory(volume.Info.Mountpoint!);
            volume.Mounts[id] = volume.Mounts.GetValueOrDefault(id) + 1;
        }

        return ValueTask.FromResult(volume.Info.Mountpoint!);
    }

    /// <summary>Releases one mount of this ID. Releasing a mount nobody counts (after a restart forgot it) succeeds:
    /// failing it would only make <c>docker stop</c> report an error.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">The mount ID.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>A completed task.</returns>
    public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        if (_volumes.TryGetValue(name, out var volume))
        {
            lock (volume.Mounts)
            {
                if (volume.Mounts.TryGetValue(id, out var count))
                {
                    if (count > 1)
                    {
                        volume.Mounts[id] = count - 1;
                    }
                    else
                    {
                        volume.Mounts.Remove(id);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Answers from memory; <see langword="null"/> (not found) for a name never created.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>The volume, or <see langword="null"/>.</returns>
    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) =>
        new(_volumes.TryGetValue(name, out var volume) ? volume.Info : null);

    /// <summary>Every volume, sorted by name.</summary>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>The volumes.</returns>
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        // A loop, not LINQ: this one query would add 14 KB of iterators and sorters to the binary, which has no other
        // LINQ (docs/footprint.md, "Without LINQ").
        var list = new List<VolumeInfo>(_volumes.Count);
        foreach (var volume in _volumes.Values)
        {
            list.Add(volume.Info);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new(list);
    }

    /// <summary>The volume's directory, from memory.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    /// <returns>The directory.</returns>
    public ValueTask<string?> PathAsync(string name, CancellationToken cancellationToken) => new(Find(name).Info.Mountpoint);

    private Volume Find(string name) =>
        _volumes.TryGetValue(name, out var volume) ? volume : throw VolumeDriverException.NotFound(name);

    /// <summary>One volume: its answer to Get, built once (it never changes), and its mount counts per ID.</summary>
    private sealed class Volume(string name, string directory, DateTimeOffset createdAt)
    {
        public VolumeInfo Info { get; } = new(name) { Mountpoint = directory, CreatedAt = createdAt };

        /// <summary>Mount counts per mount ID; also the lock for this volume.</summary>
        public Dictionary<string, int> Mounts { get; } = new(StringComparer.Ordinal);

        /// <summary>Set under the lock when Remove took the volume out of the dictionary.</summary>
        public bool Removed { get; set; }
    }
}
