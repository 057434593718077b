using System.Globalization;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.Hosting;
using Mooring.State;

namespace Mooring.Samples.LocalVolume;

/// <summary>
/// Persistent directories as volumes: the data of volume <c>v</c> lives in <c>&lt;data root&gt;/volumes/v/data</c>, its
/// record (options, creation time) in the SDK's <see cref="VolumeStateStore"/>, its mounts in the <see cref="MountLedger"/>.
/// All of it sits under the propagated mount, so it survives plugin restarts, <c>docker plugin upgrade</c> and daemon
/// restarts.
/// </summary>
/// <remarks>
/// Crash ordering: the record is the truth. Create builds the directory in a staging folder, renames it into place and
/// only then writes the record; Remove deletes the record first and the data after. A crash in between leaves data
/// without a record, which is never listed and is swept at the next start (or replaced by the next Create of that
/// name) — never a listed volume without data.
/// </remarks>
[VolumePlugin(
    Socket = "localvolume.sock",
    Description = "Mooring sample: persistent local directories as Docker volumes",
    Documentation = "https://github.com/mooring-sdk/mooring/tree/main/samples/LocalVolume",
    PropagatedMount = "/data")]
public sealed partial class LocalVolumeDriver : IVolumeDriver<LocalVolumeOptions>, IPluginStartup
{
    private readonly VolumeLocks _locks = new();
    private readonly PluginContext _context;
    private readonly VolumeDirectories _directories;
    private readonly ILogger<LocalVolumeDriver> _logger;
    private VolumeStateStore? _store;
    private MountLedger? _ledger;

    /// <summary>Creates the driver over the plugin's data root; the state is loaded in <see cref="StartAsync"/>.</summary>
    public LocalVolumeDriver(PluginContext context, ILogger<LocalVolumeDriver> logger)
    {
        _context = context;
        _directories = new VolumeDirectories(context.DataRoot);
        _logger = logger;
    }

    private VolumeStateStore Store => _store ?? throw new InvalidOperationException("the driver has not been started");

    private MountLedger Ledger => _ledger ?? throw new InvalidOperationException("the driver has not been started");

    /// <inheritdoc />
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        // The socket is already bound: dockerd's requests wait (bounded by the host's start-up timeout) until this returns.
        _directories.Prepare();
        _store = await VolumeStateStore.OpenAsync(_context, cancellationToken).ConfigureAwait(false);
        _ledger = await MountLedger.OpenAsync(_context, cancellationToken).ConfigureAwait(false);
        await _directories.SweepAsync(_store, _logger, cancellationToken).ConfigureAwait(false);

        // Plain directories are never kernel-mounted by this driver (dockerd bind-mounts them), so the counts stay as
        // recorded; reconciling still reports foreign mounts that appeared under the data root.
        await _ledger.ReconcileAsync(_ => null, _store.List().Select(r => r.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(string name, LocalVolumeOptions options, CancellationToken cancellationToken)
    {
        var mode = ParseMode(name, options.Mode);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (Store.TryGet(name, out _))
        {
            return; // dockerd only calls Create after Get said "not found"; a retried Create is not an error.
        }

        await _directories.CreateAsync(name, mode, options.Uid, options.Gid, cancellationToken).ConfigureAwait(false);
        var record = new VolumeRecord(name, DateTimeOffset.UtcNow) { Options = options.ToDictionary() };
        try
        {
            await Store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not acknowledged: take the directory back so it cannot be mistaken for the volume later.
            await _directories.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

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

        // dockerd bind-mounts the data directory into containers in their own namespaces, but anything mounted here, in
        // the plugin's view, would be deleted through: refuse before the record goes, so the volume stays whole.
        var mounted = (await MountTable.ReadAsync(cancellationToken).ConfigureAwait(false)).MountsAtOrBelow(_directories.VolumeOf(name));
        if (mounted.Count > 0)
        {
            throw new VolumeDriverException($"volume '{name}' is in use: '{mounted[0].MountPoint}' is mounted");
        }

        // Record first: from here on the volume is gone, and leftover data is swept if the deletion is interrupted.
        await Store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        await _directories.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
        _logger.LogInformation("Removed volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!Store.TryGet(name, out _))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var data = _directories.DataOf(name);
        if (!Directory.Exists(data))
        {
            throw new VolumeDriverException($"volume '{name}': its data directory '{data}' is missing");
        }

        await Ledger.AcquireAsync(name, id, cancellationToken).ConfigureAwait(false);
        return data;
    }

    /// <inheritdoc />
    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        await Ledger.ReleaseAsync(name, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (!Store.TryGet(name, out var record))
        {
            return null;
        }

        var data = _directories.DataOf(name);
        var size = await Task.Run(() => DiskUsage.Measure(data), cancellationToken).ConfigureAwait(false);
        return Describe(record) with
        {
            Status = new Dictionary<string, string>
            {
                ["size"] = size.ToString(),
                ["mounts"] = Ledger.GetTotal(name).ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<IReadOnlyList<VolumeInfo>>(Store.List().Select(Describe).ToArray());

    private VolumeInfo Describe(VolumeRecord record) => new(record.Name)
    {
        Mountpoint = _directories.DataOf(record.Name),
        CreatedAt = record.CreatedAt,
    };

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
}
