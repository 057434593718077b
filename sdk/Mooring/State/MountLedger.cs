using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;
using Mooring.Logging;

namespace Mooring.State;

/// <summary>
/// A persisted count per (volume, mount ID), because dockerd's own bookkeeping cannot be trusted to balance:
/// the same ID can be mounted twice (<c>docker cp</c>), a failed Mount is never followed by Unmount, and Unmounts are
/// lost when dockerd crashes. Kept under the data root (<c>&lt;dataRoot&gt;/.mooring/mounts/&lt;name&gt;.json</c>, each
/// change durable in the directory's state log before it returns) so the counts survive plugin restarts and upgrades.
/// </summary>
/// <remarks>
/// <para>The pattern, inside the volume's lock (<see cref="VolumeLocks"/>):</para>
/// <list type="bullet">
/// <item>Mount: if <see cref="IsMounted"/> is false, mount the backend; then <see cref="AcquireAsync"/>. Counting only
/// after the mount succeeded matters because dockerd sends no Unmount after a failed Mount.</item>
/// <item>Unmount: note <see cref="IsMounted"/>, call <see cref="ReleaseAsync"/>; unmount the backend only if the volume
/// was mounted and the result is 0 (an unknown ID on an unmounted volume also returns 0).</item>
/// <item>Remove: refuse while <see cref="IsMounted"/>; delete data with <see cref="SafeDelete"/>.</item>
/// <item>Start-up: <see cref="ReconcileAsync(Func{string, string?}, IEnumerable{string}?, MountTable?, CancellationToken)"/>
/// before serving requests, then unmount the orphans the driver recognises.</item>
/// </list>
/// </remarks>
public sealed class MountLedger : IAsyncDisposable
{
    private const int FormatVersion = 2;

    // Only volumes with a non-zero total have an entry (and a file).
    private readonly ConcurrentDictionary<string, ReadOnlyDictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly VolumeLocks _locks = new();
    private readonly ILogger _logger;
    private readonly StateFileSet<MountLedgerFile> _files;

    private MountLedger(string dataRoot, ILogger logger)
    {
        _files = new StateFileSet<MountLedgerFile>(dataRoot, "mounts", FormatVersion, ContentProblem, logger);
        DataRoot = Path.GetFullPath(dataRoot);
        _logger = logger;
    }

    /// <summary>The data root the ledger lives under.</summary>
    public string DataRoot { get; }

    /// <summary>The directory holding one file per mounted volume.</summary>
    public string Directory => _files.Directory;

    /// <summary>
    /// The volumes whose mount counts exist but could not be loaded (torn, not JSON, from a newer plugin version, or
    /// holding another volume's counts), ordered by name. Their files are left byte-identical and every change to these
    /// names (<see cref="AcquireAsync"/>, <see cref="ReleaseAsync"/>, <see cref="ForgetAsync"/>) is refused: such a
    /// volume may be mounted, so nothing may treat it as unused.
    /// </summary>
    public IReadOnlyList<UnreadableState> Unreadable => _files.Unreadable;

    /// <summary>Looks a volume up among those whose counts could not be loaded (see <see cref="Unreadable"/>).</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="state">The unreadable file, when there is one for this name.</param>
    /// <returns>Whether the name has mount counts that could not be loaded.</returns>
    public bool TryGetUnreadable(string name, [NotNullWhen(true)] out UnreadableState? state) => _files.TryGetUnreadable(name, out state);

    /// <summary>
    /// Writes the changes held only in the state log into the files and closes the log; changes after it throw
    /// <see cref="ObjectDisposedException"/>. Not needed for safety (the next open replays the log), but it leaves the
    /// files complete and releases the data root (a file of it stays open until then).
    /// </summary>
    /// <returns>A task that completes when the log is closed.</returns>
    public ValueTask DisposeAsync() => _files.DisposeAsync();

    /// <summary>
    /// Prepares a downgrade to a plugin version without the state log (format 1, before 2026-12-02): writes the changes
    /// the log holds into the files, rewrites every mount-count file at format 1, and from then on refuses every change with
    /// a message that says why, because the older version reads only the files and would miss it. Restarting the plugin
    /// instead undoes it (the next open rewrites the files at this version's format). Files that could not be loaded are
    /// left as they are.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for changes in progress before anything is written.</param>
    /// <returns>How many mount-count files are at format 1.</returns>
    /// <exception cref="IOException">A file could not be written (the message names it); running this again retries.</exception>
    public Task<int> PrepareDowngradeAsync(CancellationToken cancellationToken = default) => _files.WriteBackForDowngradeAsync(cancellationToken);

    /// <summary>Opens the ledger under the plugin's data root, logging through the plugin's logger factory.</summary>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static Task<MountLedger> OpenAsync(PluginContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return OpenAsync(context.DataRoot, context.LoggerFactory.CreateLogger<MountLedger>(), cancellationToken);
    }

    /// <summary>
    /// Opens (creating if needed) the ledger under <paramref name="dataRoot"/> and loads it. Leftover temporary files are
    /// deleted; a file that cannot be loaded is left in place untouched, reported in <see cref="Unreadable"/> and logged
    /// as an error, and loading carries on.
    /// </summary>
    /// <param name="dataRoot">An absolute directory: the plugin's propagated mount.</param>
    /// <param name="logger">Where problems are reported; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static async Task<MountLedger> OpenAsync(string dataRoot, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var ledger = new MountLedger(dataRoot, logger ?? NullLogger.Instance);
        foreach (var file in await ledger._files.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (file.Mounts!.Count > 0)
            {
                ledger._counts[file.Name!] = new(new Dictionary<string, int>(file.Mounts, StringComparer.Ordinal));
            }
        }

        return ledger;
    }

    /// <summary>Counts one more mount of <paramref name="name"/> under <paramref name="mountId"/>, durably.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="mountId">The ID dockerd sent with Mount.</param>
    /// <param name="cancellationToken">Cancels the update (nothing is then counted).</param>
    /// <returns>The volume's total after counting: 1 means this is the first mount.</returns>
    /// <exception cref="VolumeDriverException">The name cannot name a stored volume, its counts could not be loaded (see
    /// <see cref="Unreadable"/>), or the file system failed (nothing is then changed).</exception>
    public async Task<int> AcquireAsync(string name, string mountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mountId);
        _files.EnsureWritable(name);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        var current = _counts.GetValueOrDefault(name, ReadOnlyDictionary<string, int>.Empty);
        var updated = With(current, mountId, current.GetValueOrDefault(mountId) + 1);
        await SaveAsync(name, updated, cancellationToken).ConfigureAwait(false);
        return updated.Total();
    }

    /// <summary>
    /// Counts one mount of <paramref name="name"/> under <paramref name="mountId"/> as gone, durably. Releasing an ID
    /// that is not counted (an Unmount after a failed Mount, a repeated Unmount) changes nothing.
    /// </summary>
    /// <param name="name">The volume name.</param>
    /// <param name="mountId">The ID dockerd sent with Unmount.</param>
    /// <param name="cancellationToken">Cancels the update (nothing is then released).</param>
    /// <returns>The volume's total afterwards: deprovision (unmount the backend) only when it is 0 and the volume was
    /// mounted before the call.</returns>
    /// <exception cref="VolumeDriverException">The name cannot name a stored volume, its counts could not be loaded (see
    /// <see cref="Unreadable"/>), or the file system failed (nothing is then changed).</exception>
    public async Task<int> ReleaseAsync(string name, string mountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mountId);
        _files.EnsureWritable(name);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        var current = _counts.GetValueOrDefault(name, ReadOnlyDictionary<string, int>.Empty);
        if (!current.TryGetValue(mountId, out var count))
        {
            MooringLog.UnknownMountId(_logger, name, mountId);
            return current.Total();
        }

        var updated = With(current, mountId, count - 1);
        await SaveAsync(name, updated, cancellationToken).ConfigureAwait(false);
        return updated.Total();
    }

    /// <summary>Drops every count of a volume (an operator's "force release", or after the volume is removed).</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The total before dropping.</returns>
    /// <exception cref="VolumeDriverException">The name cannot name a stored volume, its counts could not be loaded (see
    /// <see cref="Unreadable"/>), or the file system failed (nothing is then changed).</exception>
    public async Task<int> ForgetAsync(string name, CancellationToken cancellationToken = default)
    {
        _files.EnsureWritable(name);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        var current = _counts.GetValueOrDefault(name, ReadOnlyDictionary<string, int>.Empty);
        await SaveAsync(name, ReadOnlyDictionary<string, int>.Empty, cancellationToken).ConfigureAwait(false);
        return current.Total();
    }

    /// <summary>How many mounts of the volume are counted (0 for an unknown volume).</summary>
    /// <param name="name">The volume name.</param>
    public int GetTotal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _counts.TryGetValue(name, out var counts) ? counts.Total() : 0;
    }

    /// <summary>Whether any mount of the volume is counted.</summary>
    /// <param name="name">The volume name.</param>
    public bool IsMounted(string name) => GetTotal(name) > 0;

    /// <summary>The counted mount IDs of a volume and how often each is mounted (empty when it is not mounted).</summary>
    /// <param name="name">The volume name.</param>
    public IReadOnlyDictionary<string, int> GetMounts(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _counts.TryGetValue(name, out var counts) ? counts : ReadOnlyDictionary<string, int>.Empty;
    }

    /// <summary>The volumes with at least one counted mount, ordered by name.</summary>
    public IReadOnlyList<string> MountedVolumes() => _counts.Keys.ToSortedArray(string.CompareOrdinal);

    /// <summary>
    /// Compares the ledger with the kernel's mount table, drops the counts of volumes whose mount is gone, and reports
    /// mounts below the data root that no counted volume owns, so the driver can unmount leftovers.
    /// </summary>
    /// <param name="mountPathOf">Where the driver mounts a volume, or <see langword="null"/> when it does not mount
    /// (its counts are then kept unverified).</param>
    /// <param name="knownVolumes">Every volume the driver knows (e.g. from <see cref="VolumeStateStore.List"/>), so orphan
    /// mounts can be attributed to a volume; counted volumes are always included.</param>
    /// <param name="mountTable">The mount table to compare with; <see cref="MountTable.Read"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels reconciling (what was already corrected stays corrected).</param>
    /// <remarks>Run it before serving requests (see the host's start-up gate): a Mount that completes between reading
    /// the mount table and checking its volume would be taken for a vanished one.</remarks>
    public async Task<MountReconcileResult> ReconcileAsync(
        Func<string, string?> mountPathOf,
        IEnumerable<string>? knownVolumes = null,
        MountTable? mountTable = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mountPathOf);
        var table = mountTable ?? MountTable.Read();
        var cleared = new List<ClearedMount>();
        var confirmed = new List<string>();
        var unverified = new List<string>();
        var owned = new List<string>();

        foreach (var name in MountedVolumes())
        {
            var mountPath = mountPathOf(name);
            if (mountPath is null)
            {
                unverified.Add(name);
                continue;
            }

            var normalized = MountTable.Normalize(mountPath);
            if (table.IsMountPoint(normalized))
            {
                confirmed.Add(name);
                owned.Add(normalized);
                continue;
            }

            ReadOnlyDictionary<string, int> dropped;
            await using (await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false))
            {
                dropped = _counts.GetValueOrDefault(name, ReadOnlyDictionary<string, int>.Empty);
                await SaveAsync(name, ReadOnlyDictionary<string, int>.Empty, cancellationToken).ConfigureAwait(false);
            }

            if (dropped.Count == 0)
            {
                continue;
            }

            _logger.LogWarning(
                "Volume {Volume} was counted as mounted {Total} time(s) but nothing is mounted at {Path}; its counts were dropped",
                name, dropped.Total(), normalized);
            cleared.Add(new ClearedMount(name, normalized, dropped));
        }

        var volumeByPath = new Dictionary<string, string>(StringComparer.Ordinal);
        void Map(string name)
        {
            if (mountPathOf(name) is { } path)
            {
                volumeByPath.TryAdd(MountTable.Normalize(path), name);
            }
        }

        foreach (var name in knownVolumes ?? [])
        {
            Map(name);
        }

        foreach (var name in MountedVolumes())
        {
            Map(name);
        }

        foreach (var clearedMount in cleared)
        {
            Map(clearedMount.Volume);
        }

        var root = MountTable.Normalize(DataRoot);
        var orphans = new List<OrphanMount>();

        // Reverse kernel order lists mounts on top of others first: the order to unmount them in.
        var below = table.MountsAtOrBelow(root);
        for (var i = below.Count - 1; i >= 0; i--)
        {
            var entry = below[i];
            if (entry.MountPoint == root || owned.Exists(o => MountTable.IsAtOrBelow(entry.MountPoint, o)))
            {
                continue;
            }

            var volume = volumeByPath.GetValueOrDefault(entry.MountPoint);
            _logger.LogWarning("{Path} is mounted ({Type} from {Source}) but no counted volume owns it", entry.MountPoint, entry.FileSystemType, entry.Source);
            orphans.Add(new OrphanMount(entry.MountPoint, volume, entry));
        }

        return new MountReconcileResult(cleared, confirmed, unverified, orphans);
    }

    // A volume's counts are replaced, never changed in place: GetMounts hands them out while other calls update them.
    // A count of 0 removes the ID.
    private static ReadOnlyDictionary<string, int> With(ReadOnlyDictionary<string, int> counts, string mountId, int count)
    {
        var copy = new Dictionary<string, int>(counts, StringComparer.Ordinal);
        if (count > 0)
        {
            copy[mountId] = count;
        }
        else
        {
            copy.Remove(mountId);
        }

        return new(copy);
    }

    // Disk first, memory second: if the write fails, the caller sees the error and the in-memory count is unchanged.
    private async Task SaveAsync(string name, ReadOnlyDictionary<string, int> counts, CancellationToken cancellationToken)
    {
        if (counts.Count == 0)
        {
            await _files.DeleteAsync(name).ConfigureAwait(false);
            _counts.TryRemove(name, out _);
            return;
        }

        var file = new MountLedgerFile { Mounts = new Dictionary<string, int>(counts, StringComparer.Ordinal) };
        await _files.WriteAsync(name, file, cancellationToken).ConfigureAwait(false);
        _counts[name] = counts;
    }

    private static string? ContentProblem(MountLedgerFile file) => file.Mounts switch
    {
        null => "holds no mount counts",
        var mounts when !AllPositive(mounts) => "holds a mount count that is not positive",
        _ => null,
    };

    private static bool AllPositive(Dictionary<string, int> mounts)
    {
        foreach (var count in mounts.Values)
        {
            if (count <= 0)
            {
                return false;
            }
        }

        return true;
    }
}
