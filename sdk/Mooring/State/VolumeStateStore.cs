using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;

namespace Mooring.State;

/// <summary>
/// The volumes a plugin knows about, kept under the data root (<c>&lt;dataRoot&gt;/.mooring/volumes/&lt;name&gt;.json</c>)
/// so they survive plugin restarts and <c>docker plugin upgrade</c>. A change returns once it is on disk, as a record of
/// the directory's state log (<c>changes.log</c>) whose fdatasync concurrent changes share; the files are brought up to
/// date from the log later, each atomically. A crash at any instant leaves the old record or the new one.
/// Reads are served from memory; writes to one volume are serialised, writes to different volumes run in parallel.
/// </summary>
public sealed class VolumeStateStore : IAsyncDisposable
{
    private const int FormatVersion = 2;

    // How VolumeRecordPhase is spelled in a record file; a ready volume's file has no phase at all.
    private const string ReadyPhase = "ready";
    private const string CreatingPhase = "creating";
    private const string RemovingPhase = "removing";

    private readonly ConcurrentDictionary<string, VolumeRecord> _records = new(StringComparer.Ordinal);
    private readonly VolumeLocks _locks = new();
    private readonly StateFileSet<VolumeRecordFile> _files;

    private VolumeStateStore(string dataRoot, ILogger logger)
    {
        _files = new StateFileSet<VolumeRecordFile>(dataRoot, "volumes", FormatVersion, ContentProblem, logger);
        DataRoot = Path.GetFullPath(dataRoot);
    }

    /// <summary>The data root the store lives under.</summary>
    public string DataRoot { get; }

    /// <summary>The directory holding one file per volume.</summary>
    public string Directory => _files.Directory;

    /// <summary>
    /// The volumes whose record exists but could not be loaded (torn, not JSON, from a newer plugin version, or holding
    /// another volume's record), ordered by name. Their files are left byte-identical, and every change to these names
    /// (<see cref="CreateAsync"/>, <see cref="UpdateAsync"/>, <see cref="DeleteAsync"/>) is refused, so that upgrading
    /// the plugin again finds every volume as it was. Drivers must not delete or adopt the data of these volumes either.
    /// </summary>
    public IReadOnlyList<UnreadableState> Unreadable => _files.Unreadable;

    /// <summary>
    /// Writes the changes held only in the state log into the files and closes the log; changes after it throw
    /// <see cref="ObjectDisposedException"/>. Not needed for safety (the next open replays the log), but it leaves the
    /// files complete and releases the data root (a file of it stays open until then).
    /// </summary>
    /// <returns>A task that completes when the log is closed.</returns>
    public ValueTask DisposeAsync() => _files.DisposeAsync();

    /// <summary>
    /// Prepares a downgrade to a plugin version without the state log (format 1, before 2026-12-02): writes the changes
    /// the log holds into the files, rewrites every record file at format 1, and from then on refuses every change with
    /// a message that says why, because the older version reads only the files and would miss it. Restarting the plugin
    /// instead undoes it (the next open rewrites the files at this version's format). Files that could not be loaded are
    /// left as they are.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for changes in progress before anything is written.</param>
    /// <returns>How many record files are at format 1.</returns>
    /// <exception cref="IOException">A file could not be written (the message names it); running this again retries.</exception>
    public Task<int> PrepareDowngradeAsync(CancellationToken cancellationToken = default) => _files.WriteBackForDowngradeAsync(cancellationToken);

    /// <summary>Opens the store under the plugin's data root, logging through the plugin's logger factory.</summary>
    /// <param name="context">The plugin context.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static Task<VolumeStateStore> OpenAsync(PluginContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return OpenAsync(context.DataRoot, context.LoggerFactory.CreateLogger<VolumeStateStore>(), cancellationToken);
    }

    /// <summary>
    /// Opens (creating if needed) the store under <paramref name="dataRoot"/> and loads every record. Leftover temporary
    /// files from a crash are deleted; a record that cannot be loaded is left in place untouched, reported in
    /// <see cref="Unreadable"/> and logged as an error, and loading carries on.
    /// </summary>
    /// <param name="dataRoot">An absolute directory: the plugin's propagated mount.</param>
    /// <param name="logger">Where problems found while loading are reported; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static async Task<VolumeStateStore> OpenAsync(string dataRoot, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var store = new VolumeStateStore(dataRoot, logger ?? NullLogger.Instance);
        foreach (var file in await store._files.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            store._records[file.Name!] = ToRecord(file);
        }

        return store;
    }

    /// <summary>Looks a volume up.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="record">The record, when the volume exists.</param>
    /// <returns>Whether the volume exists.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out VolumeRecord? record)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _records.TryGetValue(name, out record);
    }

    /// <summary>Looks a volume up among those whose record could not be loaded (see <see cref="Unreadable"/>).</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="state">The unreadable file, when there is one for this name.</param>
    /// <returns>Whether the name has a record that could not be loaded.</returns>
    public bool TryGetUnreadable(string name, [NotNullWhen(true)] out UnreadableState? state) => _files.TryGetUnreadable(name, out state);

    /// <summary>Every volume, ordered by name.</summary>
    public IReadOnlyList<VolumeRecord> List()
        => _records.Values.ToSortedArray(static (a, b) => string.CompareOrdinal(a.Name, b.Name));

    /// <summary>Records a new volume.</summary>
    /// <param name="record">The volume.</param>
    /// <param name="cancellationToken">Cancels the write (the volume is then not recorded).</param>
    /// <exception cref="VolumeDriverException">The volume already exists, its name cannot be stored, its record could
    /// not be loaded (see <see cref="Unreadable"/>), or the file system failed (the message names the cause).</exception>
    public async Task CreateAsync(VolumeRecord record, CancellationToken cancellationToken = default)
    {
        // Validated and copied before waiting for the lock; the copy is both what is written and what is kept.
        ArgumentNullException.ThrowIfNull(record);
        record = Freeze(record);
        var file = ToFile(record);
        _files.EnsureWritable(record.Name);
        await using var held = await _locks.AcquireAsync(record.Name, cancellationToken).ConfigureAwait(false);
        if (_records.ContainsKey(record.Name))
        {
            throw new VolumeDriverException($"volume '{record.Name}' already exists");
        }

        await _files.WriteAsync(record.Name, file, cancellationToken).ConfigureAwait(false);
        _records[record.Name] = record;
    }

    /// <summary>Replaces the record of an existing volume.</summary>
    /// <param name="record">The new record (its name picks the volume).</param>
    /// <param name="cancellationToken">Cancels the write (the old record then stays).</param>
    /// <exception cref="VolumeDriverException">The volume does not exist, its record could not be loaded (see
    /// <see cref="Unreadable"/>), or the file system failed (the old record then stays).</exception>
    public async Task UpdateAsync(VolumeRecord record, CancellationToken cancellationToken = default)
    {
        // Validated and copied before waiting for the lock; the copy is both what is written and what is kept.
        ArgumentNullException.ThrowIfNull(record);
        record = Freeze(record);
        var file = ToFile(record);
        _files.EnsureWritable(record.Name);
        await using var held = await _locks.AcquireAsync(record.Name, cancellationToken).ConfigureAwait(false);
        if (!_records.ContainsKey(record.Name))
        {
            throw VolumeDriverException.NotFound(record.Name);
        }

        await _files.WriteAsync(record.Name, file, cancellationToken).ConfigureAwait(false);
        _records[record.Name] = record;
    }

    /// <summary>Forgets a volume.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels waiting for a concurrent write to the same volume.</param>
    /// <returns>Whether the volume existed.</returns>
    /// <exception cref="VolumeDriverException">The name cannot name a stored volume, its record could not be loaded
    /// (see <see cref="Unreadable"/>; the file is kept), or the file system failed.</exception>
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => DeleteCoreAsync(name, sync: true, cancellationToken);

    /// <summary>Forgets a volume without waiting for the deletion to be durable (the log's next sync covers it). Only
    /// for a record in phase <see cref="VolumeRecordPhase.Removing"/> or <see cref="VolumeRecordPhase.Creating"/> whose
    /// data is gone: if a crash loses the deletion, the next start finds that phase and finishes the job.</summary>
    internal Task<bool> DeleteUnsyncedAsync(string name, CancellationToken cancellationToken) => DeleteCoreAsync(name, sync: false, cancellationToken);

    private async Task<bool> DeleteCoreAsync(string name, bool sync, CancellationToken cancellationToken)
    {
        _files.EnsureWritable(name);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!_records.ContainsKey(name))
        {
            return false;
        }

        await _files.DeleteAsync(name, sync).ConfigureAwait(false);
        _records.TryRemove(name, out _);
        return true;
    }

    // The caller may keep mutating the dictionaries it passed in; what is in memory must match what is on disk.
    private static VolumeRecord Freeze(VolumeRecord record) => record with
    {
        Options = Frozen(record.Options),
        Properties = Frozen(record.Properties),
    };

    // A map this store made is kept as it is: `stored with { Phase = … }` hands a stored record's own maps back.
    private static IReadOnlyDictionary<string, string> Frozen(IReadOnlyDictionary<string, string> map) => map switch
    {
        StoredMap => map,
        { Count: 0 } => ReadOnlyDictionary<string, string>.Empty,
        _ => new StoredMap(new Dictionary<string, string>(map, StringComparer.Ordinal)),
    };

    private static VolumeRecordFile ToFile(VolumeRecord record)
    {
        var file = new VolumeRecordFile
        {
            CreatedAt = record.CreatedAt,
            Options = ToFileMap(record.Options),
            Properties = ToFileMap(record.Properties),
            Phase = record.Phase switch
            {
                VolumeRecordPhase.Ready => null,
                VolumeRecordPhase.Creating => CreatingPhase,
                VolumeRecordPhase.Removing => RemovingPhase,
                _ => throw new ArgumentException($"volume '{record.Name}' has an undefined phase ({(int)record.Phase})", nameof(record)),
            },
        };

        // Such a record would be written, then refused as unreadable at the next start.
        return HasNullValue(file.Options) || HasNullValue(file.Properties)
            ? throw new ArgumentException($"volume '{record.Name}' has an option or property without a value", nameof(record))
            : file;
    }

    // Called only for files that passed ContentProblem.
    private static VolumeRecord ToRecord(VolumeRecordFile file) => new(file.Name!, file.CreatedAt)
    {
        Options = ToRecordMap(file.Options),
        Properties = ToRecordMap(file.Properties),
        Phase = ParsePhase(file.Phase)!.Value,
    };

    private static VolumeRecordPhase? ParsePhase(string? phase) => phase switch
    {
        null or ReadyPhase => VolumeRecordPhase.Ready,
        CreatingPhase => VolumeRecordPhase.Creating,
        RemovingPhase => VolumeRecordPhase.Removing,
        _ => null,
    };

    private static string? ContentProblem(VolumeRecordFile file)
    {
        if (HasNullValue(file.Options) || HasNullValue(file.Properties))
        {
            return "holds an option or property without a value";
        }

        // A phase this version does not know comes from a newer one; guessing what it means could lose data.
        return ParsePhase(file.Phase) is null ? $"has a phase this plugin does not know ('{file.Phase}')" : null;
    }

    private static bool HasNullValue(IReadOnlyDictionary<string, string?>? map)
    {
        if (map is not { Count: > 0 })
        {
            return false;
        }

        foreach (var pair in map)
        {
            if (pair.Value is null)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyDictionary<string, string?> ToFileMap(IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return ReadOnlyDictionary<string, string?>.Empty;
        }

        var copy = new Dictionary<string, string?>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            copy[key] = value;
        }

        return copy;
    }

    // Called only for maps that passed ContentProblem: no value is null.
    private static IReadOnlyDictionary<string, string> ToRecordMap(IReadOnlyDictionary<string, string?>? map)
    {
        if (map is null || map.Count == 0)
        {
            return ReadOnlyDictionary<string, string>.Empty;
        }

        var copy = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            copy[key] = value!;
        }

        return new StoredMap(copy);
    }

    // The store's own copy of a record's options or properties, which nothing else holds.
    private sealed class StoredMap(IDictionary<string, string> map) : ReadOnlyDictionary<string, string>(map);
}
