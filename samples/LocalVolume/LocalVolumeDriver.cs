using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.Hosting;

namespace Mooring.Samples.LocalVolume;

/// <summary>
/// Persistent directories as volumes: <c>&lt;data root&gt;/volumes/&lt;name&gt;/data</c>. A volume is created in a
/// temporary directory and renamed into place, so a crash never leaves a half-created volume behind.
/// </summary>
[VolumePlugin(
    Socket = "localvolume.sock",
    Description = "Mooring sample: persistent local directories as Docker volumes",
    Documentation = "https://github.com/mooring-sdk/mooring/tree/main/samples/LocalVolume",
    PropagatedMount = "/data")]
public sealed partial class LocalVolumeDriver : IVolumeDriver<LocalVolumeOptions>
{
    private const string CreatedFile = "created";
    private readonly string _volumesRoot;
    private readonly ILogger<LocalVolumeDriver> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, int>> _mounts = new(StringComparer.Ordinal);

    /// <summary>Creates the driver over the plugin's data root.</summary>
    public LocalVolumeDriver(PluginContext context, ILogger<LocalVolumeDriver> logger)
    {
        _volumesRoot = Path.Combine(context.DataRoot, "volumes");
        _logger = logger;
        Directory.CreateDirectory(_volumesRoot);
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(string name, LocalVolumeOptions options, CancellationToken cancellationToken)
    {
        var mode = ParseMode(name, options.Mode);
        using var held = await LockAsync(name, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(VolumeDirectory(name)))
        {
            return; // dockerd only calls Create after Get said "not found"; a retried Create is not an error.
        }

        var staging = Path.Combine(_volumesRoot, $".creating-{Guid.NewGuid():N}");
        var data = Path.Combine(staging, "data");
        Directory.CreateDirectory(data);
        try
        {
            if (mode is { } unixMode)
            {
                File.SetUnixFileMode(data, unixMode);
            }

            if (options.Uid is not null || options.Gid is not null)
            {
                Native.Chown(data, options.Uid ?? -1, options.Gid ?? -1);
            }

            await File.WriteAllTextAsync(Path.Combine(staging, CreatedFile), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, VolumeDirectory(name));
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        _logger.LogInformation("Created volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(name, cancellationToken).ConfigureAwait(false);
        var directory = VolumeDirectory(name);
        if (!Directory.Exists(directory))
        {
            throw VolumeDriverException.NotFound(name);
        }

        if (MountCount(name) > 0)
        {
            throw VolumeDriverException.InUse(name);
        }

        // Rename first so that a crash mid-delete leaves trash, not a half-deleted volume that still lists.
        var trash = Path.Combine(_volumesRoot, $".removing-{Guid.NewGuid():N}");
        Directory.Move(directory, trash);
        Directory.Delete(trash, recursive: true);
        _logger.LogInformation("Removed volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(VolumeDirectory(name)))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var ids = _mounts.GetOrAdd(name, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        ids[id] = ids.GetValueOrDefault(id) + 1;
        return DataDirectory(name);
    }

    /// <inheritdoc />
    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(name, cancellationToken).ConfigureAwait(false);
        if (_mounts.TryGetValue(name, out var ids) && ids.TryGetValue(id, out var count))
        {
            if (count <= 1)
            {
                ids.Remove(id);
            }
            else
            {
                ids[id] = count - 1;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var directory = VolumeDirectory(name);
        if (!Directory.Exists(directory))
        {
            return ValueTask.FromResult<VolumeInfo?>(null);
        }

        return ValueTask.FromResult<VolumeInfo?>(Describe(name, withStatus: true));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var volumes = new List<VolumeInfo>();
        foreach (var directory in Directory.EnumerateDirectories(_volumesRoot))
        {
            var name = Path.GetFileName(directory);
            if (!name.StartsWith('.'))
            {
                volumes.Add(Describe(name, withStatus: false));
            }
        }

        volumes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ValueTask.FromResult<IReadOnlyList<VolumeInfo>>(volumes);
    }

    private VolumeInfo Describe(string name, bool withStatus)
    {
        DateTimeOffset? created = null;
        var createdFile = Path.Combine(VolumeDirectory(name), CreatedFile);
        if (File.Exists(createdFile) && DateTimeOffset.TryParse(File.ReadAllText(createdFile), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            created = parsed;
        }

        return new VolumeInfo(name)
        {
            Mountpoint = DataDirectory(name),
            CreatedAt = created,
            Status = withStatus
                ? new Dictionary<string, string>
                {
                    ["size"] = DiskUsage.Measure(DataDirectory(name)).ToString(),
                    ["mounts"] = MountCount(name).ToString(CultureInfo.InvariantCulture),
                }
                : null,
        };
    }

    private int MountCount(string name) => _mounts.TryGetValue(name, out var ids) ? ids.Values.Sum() : 0;

    private string VolumeDirectory(string name) => Path.Combine(_volumesRoot, name);

    private string DataDirectory(string name) => Path.Combine(_volumesRoot, name, "data");

    private async ValueTask<IDisposable> LockAsync(string name, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private static UnixFileMode? ParseMode(string volume, string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var value = Convert.ToInt32(text, 8);
            if (value is >= 0 and <= 0x0FFF)
            {
                return (UnixFileMode)value;
            }
        }
        catch (FormatException)
        {
        }
        catch (ArgumentException)
        {
        }

        throw new VolumeOptionException($"volume '{volume}': option 'mode' must be octal permissions such as 0755, got '{text}'");
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
