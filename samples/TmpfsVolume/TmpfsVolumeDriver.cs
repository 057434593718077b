using System.Globalization;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.Hosting;
using Mooring.State;

namespace Mooring.Samples.TmpfsVolume;

/// <summary>
/// A tmpfs per volume: scratch space with a hard size limit. The tmpfs is mounted at <c>&lt;data root&gt;/mnt/&lt;name&gt;</c>
/// by the first Mount and unmounted when the last mount ID is released — its content is then gone, by design.
/// The volume's record (size, mode) is in the SDK's <see cref="VolumeStateStore"/>, its mounts in the
/// <see cref="MountLedger"/>, both under the propagated mount so they survive restarts and upgrades.
/// </summary>
[VolumePlugin(
    Socket = "tmpfsvolume.sock",
    Description = "Mooring sample: a size-limited tmpfs per Docker volume (scratch space, lost on the last unmount)",
    Documentation = "https://github.com/mooring-sdk/mooring/tree/main/samples/TmpfsVolume",
    PropagatedMount = "/data",
    LinuxCapabilities = new[] { "CAP_SYS_ADMIN" })]
public sealed partial class TmpfsVolumeDriver : IVolumeDriver<TmpfsVolumeOptions>, IPluginStartup
{
    private readonly VolumeLocks _locks = new();
    private readonly PluginContext _context;
    private readonly string _mountRoot;
    private readonly ILogger<TmpfsVolumeDriver> _logger;
    private VolumeStateStore? _store;
    private MountLedger? _ledger;

    /// <summary>Creates the driver over the plugin's data root; the state is loaded in <see cref="StartAsync"/>.</summary>
    public TmpfsVolumeDriver(PluginContext context, ILogger<TmpfsVolumeDriver> logger)
    {
        _context = context;
        _mountRoot = Path.Combine(context.DataRoot, "mnt");
        _logger = logger;
    }

    private VolumeStateStore Store => _store ?? throw new InvalidOperationException("the driver has not been started");

    private MountLedger Ledger => _ledger ?? throw new InvalidOperationException("the driver has not been started");

    /// <inheritdoc />
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_mountRoot);
        _store = await VolumeStateStore.OpenAsync(_context, cancellationToken).ConfigureAwait(false);
        _ledger = await MountLedger.OpenAsync(_context, cancellationToken).ConfigureAwait(false);

        // Before any request is served (the host holds them until this returns): a tmpfs the ledger counts is adopted
        // as it is; a count whose tmpfs vanished (host reboot) is dropped; a tmpfs nobody counts — a crash between
        // mount(2) and the ledger write, or between the ledger write and umount2 — is unmounted.
        var result = await _ledger.ReconcileAsync(MountPathOf, _store.List().Select(r => r.Name), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        foreach (var confirmed in result.Confirmed)
        {
            _logger.LogInformation("Adopted the tmpfs of volume {Volume}, still in use", confirmed);
        }

        foreach (var orphan in result.Orphans)
        {
            // Ours: the mount path of a known volume, or a tmpfs in our mount folder (its record may be gone).
            var ours = orphan.Volume is not null
                || (orphan.Entry.FileSystemType == "tmpfs" && orphan.MountPoint.StartsWith(_mountRoot + "/", StringComparison.Ordinal));
            if (ours)
            {
                TmpfsMount.Unmount(orphan.Volume ?? orphan.MountPoint, orphan.MountPoint);
                _logger.LogWarning("Unmounted the tmpfs at {Path}: no mount of it is counted", orphan.MountPoint);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(string name, TmpfsVolumeOptions options, CancellationToken cancellationToken)
    {
        var recorded = options.Validate(name);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (Store.TryGet(name, out _))
        {
            return; // a retried Create is not an error
        }

        // Nothing exists on disk until the first Mount: the record alone is the volume.
        await Store.CreateAsync(new VolumeRecord(name, DateTimeOffset.UtcNow) { Options = recorded }, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Created volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Store.TryGet(name, out _))
        {
            throw VolumeDriverException.NotFound(name);
        }

        if (Ledger.IsMounted(name))
        {
            throw VolumeDriverException.InUse(name);
        }

        await Store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);

        // Only the empty mount point is left; SafeDelete refuses if, against the ledger, something is mounted there.
        await SafeDelete.DeleteDirectoryAsync(MountPathOf(name), _context.DataRoot, name, CancellationToken.None).ConfigureAwait(false);
        _logger.LogInformation("Removed volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Store.TryGet(name, out var record))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var path = MountPathOf(name);
        var mountedNow = false;
        if (!Ledger.IsMounted(name))
        {
            Directory.CreateDirectory(path);
            TmpfsMount.Mount(name, path, record.Options);
            mountedNow = true;
        }

        try
        {
            // Counted only once the tmpfs is there: dockerd sends no Unmount after a failed Mount.
            await Ledger.AcquireAsync(name, id, cancellationToken).ConfigureAwait(false);
        }
        catch when (mountedNow)
        {
            TmpfsMount.Unmount(name, path);
            throw;
        }

        return path;
    }

    /// <inheritdoc />
    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        var wasMounted = Ledger.IsMounted(name);
        if (await Ledger.ReleaseAsync(name, id, cancellationToken).ConfigureAwait(false) == 0 && wasMounted)
        {
            TmpfsMount.Unmount(name, MountPathOf(name));
        }
    }

    /// <inheritdoc />
    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (!Store.TryGet(name, out var record))
        {
            return ValueTask.FromResult<VolumeInfo?>(null);
        }

        var status = new Dictionary<string, string>
        {
            ["mounts"] = Ledger.GetTotal(name).ToString(CultureInfo.InvariantCulture),
            ["size"] = record.Options.TryGetValue("size", out var size)
                ? new ByteSize(long.Parse(size, CultureInfo.InvariantCulture)).ToString()
                : "half of the RAM",
        };
        return ValueTask.FromResult<VolumeInfo?>(Describe(record) with { Status = status });
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<IReadOnlyList<VolumeInfo>>(Store.List().Select(Describe).ToArray());

    private VolumeInfo Describe(VolumeRecord record) => new(record.Name)
    {
        // dockerd asks for the path of a volume it does not hold mounted too; the path is only meaningful while mounted.
        Mountpoint = Ledger.IsMounted(record.Name) ? MountPathOf(record.Name) : null,
        CreatedAt = record.CreatedAt,
    };

    private string MountPathOf(string name) => Path.Combine(_mountRoot, name);
}
