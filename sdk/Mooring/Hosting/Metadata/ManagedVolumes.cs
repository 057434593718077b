using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Mooring.Hosting.Management;
using Mooring.Logging;
using Mooring.State;

namespace Mooring.Hosting.Metadata;

/// <summary>
/// Runs an <see cref="IManagedVolumeDriver{TOptions}"/>: the bookkeeping every driver needs and most get wrong. The
/// generated dispatcher of a managed driver wraps the author's class in one of these; authors never construct it.
/// </summary>
/// <remarks>
/// <para>Every volume has a record in <see cref="VolumeStateStore"/> whose <see cref="VolumeRecord.Phase"/> is written
/// before each step a crash could interrupt, so the start-up clean-up touches only what this SDK provably left behind:</para>
/// <list type="bullet">
/// <item>Create: record (Creating) → data directory → <c>ProvisionAsync</c> → record (Ready). Only a Ready record is a
/// volume; a Creating one is rolled back at the next start or by the next Create of that name.</item>
/// <item>Remove: refused while the ledger counts a mount → record (Removing) → <c>DestroyAsync</c> → safe delete of the
/// data directory → record deleted. A Remove that fails or is cancelled leaves the volume listed, refused for Mount and
/// removable again; one interrupted by a crash is finished at the next start.</item>
/// <item>A name whose record or mount counts could not be read (torn, newer format) is never deleted, moved or adopted:
/// every request for it is refused with the reason, and its files stay byte-identical.</item>
/// <item>A directory under <c>volumes/</c> without any record is not this SDK's to delete: it is left alone.</item>
/// </list>
/// </remarks>
/// <typeparam name="TOptions">The driver's options class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class ManagedVolumes<TOptions> : IVolumeDriver<BoundOptions<TOptions>>, IPluginStartup, IManagedState, IAsyncDisposable
    where TOptions : class
{
    /// <summary>The folder under the data root that holds one data directory per volume.</summary>
    public const string VolumesFolder = "volumes";

    private readonly IManagedVolumeDriver<TOptions> _driver;
    private readonly Func<string, IReadOnlyDictionary<string, string>?, TOptions> _bind;
    private readonly PluginContext _context;
    private readonly string _volumesRoot;
    private readonly DirectorySync _volumesRootSync;
    private readonly VolumeLocks _locks = new();
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _volumes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UnreadableState> _unbindable = new(StringComparer.Ordinal);
    private readonly VolumeCapabilities _capabilities;
    private VolumeStateStore? _store;
    private MountLedger? _ledger;

    /// <summary>Wraps a managed driver.</summary>
    /// <param name="driver">The author's driver.</param>
    /// <param name="bindOptions">The generated options binder (also used to bind recorded options at start).</param>
    /// <param name="context">The running plugin's context.</param>
    public ManagedVolumes(IManagedVolumeDriver<TOptions> driver, Func<string, IReadOnlyDictionary<string, string>?, TOptions> bindOptions, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(bindOptions);
        ArgumentNullException.ThrowIfNull(context);
        _driver = driver;
        _bind = bindOptions;
        _context = context;
        _volumesRoot = Path.Join(context.DataRoot, VolumesFolder);
        _volumesRootSync = new DirectorySync(_volumesRoot);
        _logger = context.LoggerFactory.CreateLogger("Mooring.ManagedVolumes");
        _capabilities = driver.Scope == VolumeScope.Global ? VolumeCapabilities.Global : VolumeCapabilities.Local;
        BindOptions = Bind;
    }

    /// <summary>The binder the generated dispatcher hands to <see cref="VolumeProtocol.CreateAsync{TOptions}"/>:
    /// the generated one, keeping the raw pairs for the record.</summary>
    public Func<string, IReadOnlyDictionary<string, string>?, BoundOptions<TOptions>> BindOptions { get; }

    private VolumeStateStore Store => _store ?? throw new InvalidOperationException("the managed volumes have not been started");

    private MountLedger Ledger => _ledger ?? throw new InvalidOperationException("the managed volumes have not been started");

    /// <summary>Loads the records and mount counts, rolls back unacknowledged Creates, and reconciles the ledger with
    /// the kernel. The host runs this after the socket is bound and before the first request is dispatched.</summary>
    /// <param name="cancellationToken">Cancelled when the plugin stops during start-up.</param>
    /// <returns>A task that completes when every volume is known.</returns>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        AtomicFile.EnsureDirectory(_volumesRoot);
        _store = await VolumeStateStore.OpenAsync(_context.DataRoot, _context.LoggerFactory.CreateLogger<VolumeStateStore>(), cancellationToken).ConfigureAwait(false);
        _ledger = await MountLedger.OpenAsync(_context.DataRoot, _context.LoggerFactory.CreateLogger<MountLedger>(), cancellationToken).ConfigureAwait(false);

        foreach (var record in _store.List())
        {
            if (record.Phase == VolumeRecordPhase.Creating)
            {
                await RollBackCreateAsync(record, reason: "a Create interrupted before it was acknowledged", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (record.Phase == VolumeRecordPhase.Removing && !_ledger.IsMounted(record.Name) && await FinishRemoveAsync(record, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Load(record);
        }

        await ReconcileAsync(static _ => true, cancellationToken).ConfigureAwait(false);
        MooringLog.Loaded(_logger, _volumes.Count, _ledger.MountedVolumes().Count);
        foreach (var directory in Directory.EnumerateDirectories(_volumesRoot))
        {
            var name = Path.GetFileName(directory);
            if (!_volumes.ContainsKey(name) && !_store.TryGet(name, out _) && !HasUnreadableState(name, out _))
            {
                MooringLog.StrayDirectory(_logger, directory);
            }
        }
    }

    /// <summary>Closes the records and the mount ledger, writing what only their logs hold into their files. The host
    /// calls it after the server has stopped.</summary>
    /// <returns>A task that completes when both are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        if (_ledger is not null)
        {
            await _ledger.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(string name, BoundOptions<TOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseUnreadable(name);
        if (Store.TryGet(name, out var existing))
        {
            if (existing.Phase != VolumeRecordPhase.Creating)
            {
                return; // dockerd asks Get first; a Create for a volume that exists is a retry, not an error.
            }

            await RollBackCreateAsync(existing, "an earlier Create of this name that failed", cancellationToken).ConfigureAwait(false);
            if (Store.TryGet(name, out _))
            {
                throw new VolumeDriverException($"volume '{name}': an earlier Create of this name could not be rolled back (see the plugin log); try again");
            }
        }

        var directory = DataDirectoryOf(name);
        if (Path.Exists(directory))
        {
            // Nothing of this SDK records it, so it is not ours to delete or to adopt.
            throw new VolumeDriverException(
                $"volume '{name}': '{directory}' already exists but no volume of this plugin records it; move it away (or delete it) and create the volume again");
        }

        var record = new VolumeRecord(name, DateTimeOffset.UtcNow) { Options = options.Raw, Phase = VolumeRecordPhase.Creating };
        await Store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        var volume = new ManagedVolume<TOptions>(name, options.Value, record.Options, record.CreatedAt, directory, properties: null);
        try
        {
            await CreateDataDirectoryAsync(name, directory).ConfigureAwait(false);
            volume.Provisioning = true;
            try
            {
                await _driver.ProvisionAsync(volume, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                volume.Provisioning = false;
            }

            // The write that makes the volume exist: from here on, a crash leaves a volume, not a leftover.
            await Store.UpdateAsync(record with { Phase = VolumeRecordPhase.Ready, Properties = volume.Properties }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RollBackCreateAsync(record, "a failed Create", CancellationToken.None).ConfigureAwait(false);
            throw Describe(name, "create it", ex);
        }

        _volumes[name] = new Entry(volume);
        MooringLog.Created(_logger, name);
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseUnreadable(name);
        if (!_volumes.TryGetValue(name, out var entry) || !Store.TryGet(name, out var record))
        {
            throw VolumeDriverException.NotFound(name);
        }

        var mounts = Ledger.GetTotal(name);
        if (mounts > 0)
        {
            throw new VolumeDriverException($"volume '{name}' is in use: it is still mounted ({mounts} mount(s)); stop the containers that use it first");
        }

        // Something mounted inside the directory (in the plugin's view) would stop the delete half-way: refuse first,
        // while the volume is still whole and mountable.
        var inside = MountTableCache.Shared.Current().MountsAtOrBelow(entry.Volume.DataDirectory);
        if (inside.Count > 0)
        {
            throw new VolumeDriverException($"volume '{name}' is in use: '{inside[0].MountPoint}' is mounted ({inside[0].FileSystemType}); unmount it first");
        }

        try
        {
            if (record.Phase != VolumeRecordPhase.Removing)
            {
                // Before any data goes: a volume whose deletion was interrupted is never mounted again, only removed.
                await Store.UpdateAsync(record with { Phase = VolumeRecordPhase.Removing }, cancellationToken).ConfigureAwait(false);
                entry.Removing = true;
            }

            await _driver.DestroyAsync(entry.Volume, cancellationToken).ConfigureAwait(false);
            await SafeDelete.DeleteDirectoryAsync(entry.Volume.DataDirectory, _context.DataRoot, name, cancellationToken).ConfigureAwait(false);

            // Not waited for: a crash that loses the deletion leaves the Removing record, whose removal the next start
            // finishes (StartAsync). The next durable change of the log makes it durable too.
            await Store.DeleteUnsyncedAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Describe(name, "remove it", ex);
        }

        _volumes.TryRemove(name, out _);
        MooringLog.Removed(_logger, name);
    }

    /// <inheritdoc />
    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseUnreadable(name);
        if (!_volumes.TryGetValue(name, out var entry))
        {
            throw VolumeDriverException.NotFound(name);
        }

        if (entry.Removing)
        {
            throw new VolumeDriverException($"volume '{name}' is being removed (an earlier Remove did not finish); remove it again");
        }

        var attachedNow = false;
        try
        {
            if (!Ledger.IsMounted(name))
            {
                await _driver.AttachAsync(entry.Volume, cancellationToken).ConfigureAwait(false);
                attachedNow = true;
            }

            if (!Directory.Exists(entry.Volume.DataDirectory))
            {
                throw new VolumeDriverException($"volume '{name}': its data directory '{entry.Volume.DataDirectory}' is missing; remove the volume and create it again");
            }

            // Counted only once the volume is usable: dockerd never sends Unmount after a failed Mount.
            await Ledger.AcquireAsync(name, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (attachedNow)
            {
                await DetachQuietlyAsync(entry.Volume).ConfigureAwait(false);
            }

            throw Describe(name, "mount it", ex);
        }

        return entry.Volume.DataDirectory;
    }

    /// <inheritdoc />
    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseUnreadable(name);
        var wasMounted = Ledger.IsMounted(name);
        try
        {
            // An ID that is not counted (a repeated Unmount, or one after a failed Mount) changes nothing.
            var total = await Ledger.ReleaseAsync(name, id, cancellationToken).ConfigureAwait(false);
            if (total == 0 && wasMounted && _volumes.TryGetValue(name, out var entry))
            {
                await _driver.DetachAsync(entry.Volume, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            throw Describe(name, "unmount it", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
        => ValueTask.FromResult(_volumes.TryGetValue(name, out var entry) ? Describe(entry) : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<VolumeInfo>(_volumes.Count);
        foreach (var entry in _volumes.Values)
        {
            list.Add(Describe(entry));
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ValueTask.FromResult<IReadOnlyList<VolumeInfo>>(list);
    }

    /// <inheritdoc />
    public ValueTask<string?> PathAsync(string name, CancellationToken cancellationToken)
        => _volumes.TryGetValue(name, out var entry)
            ? ValueTask.FromResult(MountpointOf(entry))
            : ValueTask.FromException<string?>(VolumeDriverException.NotFound(name));

    /// <inheritdoc />
    public ValueTask<VolumeCapabilities> CapabilitiesAsync(CancellationToken cancellationToken) => new(_capabilities);

    /// <inheritdoc />
    ManagedStateSnapshot IManagedState.GetSnapshot()
    {
        var volumes = new List<ManagedVolumeState>(_volumes.Count);
        foreach (var entry in _volumes.Values)
        {
            var volume = entry.Volume;
            var mounts = Ledger.GetMounts(volume.Name); // one immutable copy: the total below matches it
            volumes.Add(new ManagedVolumeState(volume.Name, entry.Removing, volume.CreatedAt, volume.RawOptions, mounts, mounts.Total()));
        }

        volumes.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var unavailable = new List<UnreadableState>(Store.Unreadable);
        unavailable.AddRange(Ledger.Unreadable);
        unavailable.AddRange(_unbindable.Values);
        unavailable.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Path, b.Path));
        return new ManagedStateSnapshot(volumes, unavailable);
    }

    /// <inheritdoc />
    (int Volumes, int Mounts) IManagedState.CountTotals()
    {
        if (_ledger is not { } ledger)
        {
            return (0, 0);
        }

        var mounts = 0;
        foreach (var name in ledger.MountedVolumes())
        {
            mounts += ledger.GetTotal(name);
        }

        return (_volumes.Count, mounts);
    }

    /// <inheritdoc />
    async Task<MountReconcileResult> IManagedState.ReconcileNowAsync(CancellationToken cancellationToken)
    {
        // Every volume's lock: a Mount or Unmount between reading the mount table and checking the counts would
        // otherwise be taken for a vanished mount (its counts dropped) or an orphan (detached).
        var names = EveryVolumeName();
        var held = await LockEveryVolumeAsync(names, cancellationToken).ConfigureAwait(false);
        try
        {
            // A volume created after the names were taken is not locked: it is neither verified nor detached.
            var locked = new HashSet<string>(names, StringComparer.Ordinal);
            var result = await ReconcileAsync(locked.Contains, cancellationToken).ConfigureAwait(false);
            MooringLog.Reconciled(_logger, result.Cleared.Count, result.Orphans.Count);
            return result;
        }
        finally
        {
            Release(held);
        }
    }

    /// <inheritdoc />
    async Task<DowngradeResult> IManagedState.PrepareDowngradeAsync(CancellationToken cancellationToken)
    {
        // Every volume's lock, so that no Create, Remove, Mount or Unmount of a known volume is half done when the files
        // are written back. One that begins later, or a Create of a new name, is refused at its first change.
        var held = await LockEveryVolumeAsync(EveryVolumeName(), cancellationToken).ConfigureAwait(false);
        try
        {
            var volumeFiles = await Store.PrepareDowngradeAsync(cancellationToken).ConfigureAwait(false);
            var mountFiles = await Ledger.PrepareDowngradeAsync(cancellationToken).ConfigureAwait(false);
            var unavailable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var state in Store.Unreadable)
            {
                unavailable.Add(state.Name);
            }

            foreach (var state in Ledger.Unreadable)
            {
                unavailable.Add(state.Name);
            }

            MooringLog.PreparedDowngrade(_logger, volumeFiles, mountFiles);
            return new DowngradeResult(StateFileSet<VolumeRecordFile>.FormatWithoutLog, volumeFiles, mountFiles, unavailable.Count, Ledger.MountedVolumes().Count);
        }
        finally
        {
            Release(held);
        }
    }

    // Every known volume's name (those with a record or counted mounts), in the one order their locks are taken in, so
    // that two callers holding them all cannot deadlock.
    private string[] EveryVolumeName()
    {
        var names = new HashSet<string>(_volumes.Keys, StringComparer.Ordinal);
        names.UnionWith(Ledger.MountedVolumes());
        return names.ToSortedArray(string.CompareOrdinal);
    }

    private async Task<List<VolumeLocks.Releaser>> LockEveryVolumeAsync(string[] names, CancellationToken cancellationToken)
    {
        var held = new List<VolumeLocks.Releaser>(names.Length);
        try
        {
            foreach (var name in names)
            {
                held.Add(await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            Release(held);
            throw;
        }

        return held;
    }

    private static List<string> Touchable(IEnumerable<string> names, Func<string, bool> mayTouch)
    {
        var touchable = new List<string>();
        foreach (var name in names)
        {
            if (mayTouch(name))
            {
                touchable.Add(name);
            }
        }

        return touchable;
    }

    private static void Release(List<VolumeLocks.Releaser> held)
    {
        foreach (var releaser in held)
        {
            releaser.Dispose();
        }
    }

    /// <inheritdoc />
    async Task<ForgetResult> IManagedState.ForgetAsync(string name, string? mountId, CancellationToken cancellationToken)
    {
        using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseUnreadable(name);
        if (!_volumes.TryGetValue(name, out var entry))
        {
            throw new KeyNotFoundException($"volume '{name}' not found");
        }

        var wasMounted = Ledger.IsMounted(name);
        int released;
        int total;
        try
        {
            if (mountId is null)
            {
                released = await Ledger.ForgetAsync(name, cancellationToken).ConfigureAwait(false);
                total = 0;
            }
            else
            {
                if (!Ledger.GetMounts(name).TryGetValue(mountId, out var count))
                {
                    throw new KeyNotFoundException($"volume '{name}' has no counted mount with ID '{mountId}'");
                }

                total = Ledger.GetTotal(name);
                for (var i = 0; i < count; i++)
                {
                    total = await Ledger.ReleaseAsync(name, mountId, cancellationToken).ConfigureAwait(false);
                }

                released = count;
            }

            // As after the last Unmount: the backend is released once nothing counts the volume as mounted.
            if (total == 0 && wasMounted)
            {
                await _driver.DetachAsync(entry.Volume, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not KeyNotFoundException)
        {
            throw Describe(name, "forget its mounts", ex);
        }

        MooringLog.Forgot(_logger, name, mountId ?? "*", released, total);
        return new ForgetResult(name, released, total);
    }

    /// <summary>The reconcile of start-up and of the management socket: drops counts whose kernel mount vanished and
    /// detaches orphans, touching only the volumes <paramref name="mayTouch"/> allows (those whose lock is held).</summary>
    private async Task<MountReconcileResult> ReconcileAsync(Func<string, bool> mayTouch, CancellationToken cancellationToken)
    {
        var reconciled = await Ledger.ReconcileAsync(
            name => _driver.AttachMountsDataDirectory && mayTouch(name) ? DataDirectoryOf(name) : null,
            Touchable(_volumes.Keys, mayTouch),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var orphan in reconciled.Orphans)
        {
            // Attached (a crash between AttachAsync and the ledger write, or between the release and DetachAsync) but
            // counted by nobody: the Mount was never acknowledged, so undo it.
            if (orphan.Volume is { } name && mayTouch(name) && _volumes.TryGetValue(name, out var entry) && _driver.AttachMountsDataDirectory)
            {
                await _driver.DetachAsync(entry.Volume, cancellationToken).ConfigureAwait(false);
                MooringLog.DetachedOrphan(_logger, name, orphan.MountPoint);
            }
        }

        return reconciled;
    }

    private BoundOptions<TOptions> Bind(string name, IReadOnlyDictionary<string, string>? raw)
    {
        var copy = raw is null or { Count: 0 }
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(raw, StringComparer.Ordinal);
        return new BoundOptions<TOptions>(_bind(name, raw), copy);
    }

    private void Load(VolumeRecord record)
    {
        TOptions options;
        try
        {
            options = _bind(record.Name, record.Options);
        }
        catch (VolumeOptionException ex)
        {
            // Recorded by a version that accepted options this one does not: keep the volume, refuse to guess.
            _unbindable[record.Name] = new UnreadableState(record.Name, Path.Join(Store.Directory, record.Name + ".json"), $"holds options this plugin version no longer binds ({ex.Message})");
            MooringLog.Unbindable(_logger, record.Name, ex.Message);
            return;
        }

        var volume = VolumeOf(record, options);
        _volumes[record.Name] = new Entry(volume) { Removing = record.Phase == VolumeRecordPhase.Removing };
    }

    private bool HasUnreadableState(string name, out UnreadableState? state)
        => Store.TryGetUnreadable(name, out state) || Ledger.TryGetUnreadable(name, out state) || _unbindable.TryGetValue(name, out state);

    private void RefuseUnreadable(string name)
    {
        if (HasUnreadableState(name, out var state))
        {
            throw state!.Refusal();
        }
    }

    /// <summary>Undoes a Create that was never acknowledged. Safe only because the record says this SDK began it and
    /// the ledger counts no mount of the name.</summary>
    private async Task RollBackCreateAsync(VolumeRecord record, string reason, CancellationToken cancellationToken)
    {
        var name = record.Name;
        if (Ledger.IsMounted(name) || HasUnreadableState(name, out _))
        {
            MooringLog.RollbackSkipped(_logger, name, reason);
            return;
        }

        try
        {
            // Provision never ran when the crash came before the directory existed: nothing to destroy then.
            await DestroyAndForgetAsync(record, destroy: Directory.Exists(DataDirectoryOf(name)), cancellationToken).ConfigureAwait(false);
            MooringLog.RolledBack(_logger, name, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The record stays in its Creating phase: the next start or the next Create of the name tries again.
            MooringLog.RollbackFailed(_logger, ex, name, reason);
        }
    }

    /// <summary>Completes a Remove that a crash interrupted: it had begun deleting data, so the volume cannot be given
    /// back whole; finishing it is what the user asked for. A failure leaves the volume listed and removable.</summary>
    private async Task<bool> FinishRemoveAsync(VolumeRecord record, CancellationToken cancellationToken)
    {
        var name = record.Name;
        try
        {
            await DestroyAndForgetAsync(record, destroy: true, cancellationToken).ConfigureAwait(false);
            MooringLog.RemoveFinished(_logger, name);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            MooringLog.RemoveUnfinished(_logger, ex, name);
            return false;
        }
    }

    /// <summary>The clean-up shared by a rolled-back Create and a finished Remove: the author's <c>DestroyAsync</c>
    /// (when the recorded options still bind), the safe delete of the data directory, then the record.</summary>
    private async Task DestroyAndForgetAsync(VolumeRecord record, bool destroy, CancellationToken cancellationToken)
    {
        if (destroy && BindQuietly(record) is { } options)
        {
            await _driver.DestroyAsync(VolumeOf(record, options), cancellationToken).ConfigureAwait(false);
        }

        await SafeDelete.DeleteDirectoryAsync(DataDirectoryOf(record.Name), _context.DataRoot, record.Name, cancellationToken).ConfigureAwait(false);

        // The record is Creating or Removing: a lost deletion is finished again at the next start, as in RemoveAsync.
        await Store.DeleteUnsyncedAsync(record.Name, cancellationToken).ConfigureAwait(false);
    }

    private ManagedVolume<TOptions> VolumeOf(VolumeRecord record, TOptions options)
        => new(record.Name, options, record.Options, record.CreatedAt, DataDirectoryOf(record.Name), record.Properties);

    private TOptions? BindQuietly(VolumeRecord record)
    {
        try
        {
            return _bind(record.Name, record.Options);
        }
        catch (VolumeOptionException)
        {
            return null;
        }
    }

    private async Task DetachQuietlyAsync(ManagedVolume<TOptions> volume)
    {
        try
        {
            await _driver.DetachAsync(volume, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            MooringLog.DetachFailed(_logger, ex, volume.Name);
        }
    }

    private async Task CreateDataDirectoryAsync(string name, string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
                return;
            }

            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

            // The Ready record is durable; the directory entry it points at must be too.
            await _volumesRootSync.SyncAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileSystemErrors.Describe(name, "create its data directory", ex);
        }
    }

    // The author's own errors and cancellations pass as they are; a file-system failure is named with its cause.
    private static Exception Describe(string name, string doing, Exception ex)
        => ex is VolumeDriverException ? ex : FileSystemErrors.TryDescribe(name, doing, ex) ?? ex;

    private VolumeInfo Describe(Entry entry)
    {
        var volume = entry.Volume;
        var status = new ManagedVolumeStatus(_driver.DescribeStatus(volume), Ledger.GetTotal(volume.Name));
        return new VolumeInfo(volume.Name) { Mountpoint = MountpointOf(entry), CreatedAt = volume.CreatedAt, Status = status };
    }

    // A directory volume is usable at its directory whenever it exists; an attached file system only while mounted.
    private string? MountpointOf(Entry entry)
        => !_driver.AttachMountsDataDirectory || Ledger.IsMounted(entry.Volume.Name) ? entry.Volume.DataDirectory : null;

    private string DataDirectoryOf(string name) => Path.Join(_volumesRoot, name);

    private sealed class Entry(ManagedVolume<TOptions> volume)
    {
        public ManagedVolume<TOptions> Volume { get; } = volume;

        // Written inside the volume's lock; read without it by Mount, which also holds the lock.
        public bool Removing { get; set; }
    }
}
