using System.Globalization;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.Hosting;
using Mooring.State;

namespace TemplateNamespace;

/// <summary>
/// Persistent directories as Docker volumes. Volume <c>v</c> is the directory <c>&lt;data root&gt;/volumes/v</c>; the
/// data root is the plugin's propagated mount, so volumes survive plugin restarts and <c>docker plugin upgrade</c>.
/// </summary>
/// <remarks>
/// What dockerd does not do for a plugin, this driver does with the runtime's helpers:
/// <list type="bullet">
/// <item><see cref="VolumeStateStore"/> records each volume and its options atomically (a crash leaves the old or the new record);</item>
/// <item><see cref="MountLedger"/> counts mounts per (volume, mount ID) durably: the same ID can arrive twice (<c>docker cp</c>);</item>
/// <item><see cref="VolumeLocks"/> serialises the operations on one volume while different volumes proceed in parallel;</item>
/// <item><see cref="SafeDelete"/> never deletes through a mount, and Remove is refused while the volume is mounted.</item>
/// </list>
/// Volume names are validated by the host before any method here is called.
/// </remarks>
[VolumePlugin(
    Socket = "template-socket-name.sock",
    Description = "Persistent local directories as Docker volumes",
    PropagatedMount = "/template-propagated-mount")]
public sealed partial class TemplateClassDriver : IVolumeDriver<TemplateClassOptions>, IPluginStartup
{
    private readonly string _dataRoot;
    private readonly string _volumesRoot;
    private readonly ILogger<TemplateClassDriver> _logger;
    private readonly PluginContext _context;
    private readonly VolumeLocks _locks = new();
    private DriverState? _loaded;

    /// <summary>Creates the driver over the plugin's data root. State loads in <see cref="StartAsync"/>.</summary>
    /// <param name="context">Where the plugin runs.</param>
    /// <param name="logger">The driver's log (stdout/stderr of the plugin, i.e. dockerd's log).</param>
    public TemplateClassDriver(PluginContext context, ILogger<TemplateClassDriver> logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        _dataRoot = context.DataRoot;
        _volumesRoot = Path.Combine(context.DataRoot, "volumes");
        _logger = logger;
        _context = context;
    }

    /// <summary>
    /// Loads the volume records and mount counts. The host calls this after it has bound the socket (dockerd waits
    /// only ~12.5 s for it); requests that arrive meanwhile wait, bounded by the host's start-up timeout.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the plugin stops during start-up.</param>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_volumesRoot);
        var store = await VolumeStateStore.OpenAsync(_context, cancellationToken).ConfigureAwait(false);
        var ledger = await MountLedger.OpenAsync(_context, cancellationToken).ConfigureAwait(false);

        // A directory volume makes no kernel mount of its own (dockerd bind-mounts the directory into containers),
        // so there is no mount path to check: the counts are kept as they are, and reconciling reports the rest.
        var reconciled = await ledger.ReconcileAsync(_ => null, store.List().Select(r => r.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Loaded {Volumes} volume(s); {Mounted} counted as mounted",
            store.List().Count, reconciled.Unverified.Count + reconciled.Confirmed.Count);
        _loaded = new DriverState(store, ledger);
    }

    // The host dispatches no request before StartAsync has completed.
    private DriverState State => _loaded ?? throw new InvalidOperationException("the driver has not started");

    /// <inheritdoc />
    public async ValueTask CreateAsync(string name, TemplateClassOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = ParseMode(name, options.Mode);
        var state = State;
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (state.Store.TryGet(name, out _))
        {
            return; // dockerd asks Get first; a Create for a volume that exists is a retry, not an error.
        }

        // The directory first, the record last: the record is what makes the volume exist. A crash in between
        // leaves a directory without a record, which the next Create of that name adopts (its data is kept).
        var directory = VolumeDirectory(name);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, mode);
        if (options.Uid is { } uid)
        {
            Native.Chown(name, directory, uid);
        }

        // What the volume was created with, reported under Status by `docker volume inspect`.
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = Convert.ToString((int)mode, 8).PadLeft(4, '0') };
        if (options.Uid is { } owner)
        {
            recorded["uid"] = owner.ToString(CultureInfo.InvariantCulture);
        }

        var record = new VolumeRecord(name, DateTimeOffset.UtcNow) { Options = recorded };
        await state.Store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Created volume {Volume} (mode {Mode})", name, record.Options["mode"]);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var state = State;
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!state.Store.TryGet(name, out _))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var mounts = state.Ledger.GetTotal(name);
        if (mounts > 0)
        {
            throw new VolumeDriverException($"volume '{name}' is in use: it is still mounted ({mounts} mount(s)); stop the containers that use it first");
        }

        // Data first, record last: a crash in between leaves a listed volume whose Remove can simply be retried.
        await SafeDelete.DeleteDirectoryAsync(VolumeDirectory(name), _dataRoot, name, cancellationToken).ConfigureAwait(false);
        await state.Store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        await state.Ledger.ForgetAsync(name, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Removed volume {Volume}", name);
    }

    /// <inheritdoc />
    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        var state = State;
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!state.Store.TryGet(name, out _))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var directory = VolumeDirectory(name);
        if (!Directory.Exists(directory))
        {
            throw new VolumeDriverException($"volume '{name}': its directory '{directory}' is missing; remove the volume and create it again");
        }

        // Counted only once the volume is usable: dockerd never sends Unmount after a failed Mount.
        var total = await state.Ledger.AcquireAsync(name, id, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Mounted volume {Volume} for {MountId} ({Total} mount(s))", name, id, total);
        return directory;
    }

    /// <inheritdoc />
    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        var state = State;
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);

        // An ID that is not counted (a repeated Unmount) changes nothing; the total says when the last user is gone.
        var total = await state.Ledger.ReleaseAsync(name, id, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Unmounted volume {Volume} for {MountId} ({Total} mount(s) left)", name, id, total);
    }

    /// <inheritdoc />
    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        // Get is called before almost every operation: answer from memory, without locking.
        var state = State;
        return ValueTask.FromResult(state.Store.TryGet(name, out var record) ? Describe(record, state.Ledger) : null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var state = State;
        return ValueTask.FromResult<IReadOnlyList<VolumeInfo>>(state.Store.List().Select(record => Describe(record, state.Ledger)).ToArray());
    }

    private VolumeInfo Describe(VolumeRecord record, MountLedger ledger) => new(record.Name)
    {
        Mountpoint = VolumeDirectory(record.Name),
        CreatedAt = record.CreatedAt,
        Status = new Dictionary<string, string>(record.Options, StringComparer.Ordinal)
        {
            ["mounts"] = ledger.GetTotal(record.Name).ToString(CultureInfo.InvariantCulture),
        },
    };

    private string VolumeDirectory(string name) => Path.Combine(_volumesRoot, name);

    private static UnixFileMode ParseMode(string volume, string? text)
    {
        const UnixFileMode Default = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }

        var value = 0;
        foreach (var digit in text)
        {
            if (digit is < '0' or > '7' || value > 0xFFF)
            {
                throw new VolumeOptionException($"volume '{volume}': option 'mode' must be octal permissions such as 0750, got '{text}'");
            }

            value = (value * 8) + (digit - '0');
        }

        if (value > 0xFFF)
        {
            throw new VolumeOptionException($"volume '{volume}': option 'mode' must be octal permissions such as 0750, got '{text}'");
        }

        return (UnixFileMode)value;
    }

    private sealed record DriverState(VolumeStateStore Store, MountLedger Ledger);
}
