using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;

namespace Mooring.State;

/// <summary>
/// The volumes a plugin knows about, kept under the data root (<c>&lt;dataRoot&gt;/.mooring/volumes/&lt;name&gt;.json</c>)
/// so they survive plugin restarts and <c>docker plugin upgrade</c>. Every change is written atomically (temporary file,
/// fsync, rename, fsync of the directory): a crash at any instant leaves the old record or the new one.
/// Reads are served from memory; writes to one volume are serialised, writes to different volumes run in parallel.
/// </summary>
public sealed class VolumeStateStore
{
    internal const string RecordExtension = ".json";
    internal const string CorruptExtension = ".corrupt";
    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<string, VolumeRecord> _records = new(StringComparer.Ordinal);
    private readonly VolumeLocks _locks = new();
    private readonly ILogger _logger;

    private VolumeStateStore(string dataRoot, string directory, ILogger logger)
    {
        DataRoot = dataRoot;
        Directory = directory;
        _logger = logger;
    }

    /// <summary>The data root the store lives under.</summary>
    public string DataRoot { get; }

    /// <summary>The directory holding one file per volume.</summary>
    public string Directory { get; }

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
    /// files from a crash are deleted; a file that cannot be read as a record is renamed to <c>*.corrupt</c> and logged
    /// as an error, and loading carries on.
    /// </summary>
    /// <param name="dataRoot">An absolute directory: the plugin's propagated mount.</param>
    /// <param name="logger">Where problems found while loading are reported; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static async Task<VolumeStateStore> OpenAsync(string dataRoot, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var directory = StateDirectory.Prepare(dataRoot, "volumes");
        var store = new VolumeStateStore(Path.GetFullPath(dataRoot), directory, logger ?? NullLogger.Instance);
        await store.LoadAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Every volume, ordered by name.</summary>
    public IReadOnlyList<VolumeRecord> List()
        => _records.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Records a new volume.</summary>
    /// <param name="record">The volume.</param>
    /// <param name="cancellationToken">Cancels the write (the volume is then not recorded).</param>
    /// <exception cref="VolumeDriverException">The volume already exists, or its name cannot be stored.</exception>
    public async Task CreateAsync(VolumeRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = StateNames.FileFor(Directory, record.Name, RecordExtension);
        await using var held = await _locks.AcquireAsync(record.Name, cancellationToken).ConfigureAwait(false);
        if (_records.ContainsKey(record.Name))
        {
            throw new VolumeDriverException($"volume '{record.Name}' already exists");
        }

        record = Freeze(record);
        await WriteAsync(path, record, cancellationToken).ConfigureAwait(false);
        _records[record.Name] = record;
    }

    /// <summary>Replaces the record of an existing volume.</summary>
    /// <param name="record">The new record (its name picks the volume).</param>
    /// <param name="cancellationToken">Cancels the write (the old record then stays).</param>
    /// <exception cref="VolumeDriverException">The volume does not exist.</exception>
    public async Task UpdateAsync(VolumeRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var path = StateNames.FileFor(Directory, record.Name, RecordExtension);
        await using var held = await _locks.AcquireAsync(record.Name, cancellationToken).ConfigureAwait(false);
        if (!_records.ContainsKey(record.Name))
        {
            throw VolumeDriverException.NotFound(record.Name);
        }

        record = Freeze(record);
        await WriteAsync(path, record, cancellationToken).ConfigureAwait(false);
        _records[record.Name] = record;
    }

    /// <summary>Forgets a volume.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels waiting for a concurrent write to the same volume.</param>
    /// <returns>Whether the volume existed.</returns>
    /// <exception cref="VolumeDriverException">The name cannot name a stored volume.</exception>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = StateNames.FileFor(Directory, name, RecordExtension);
        await using var held = await _locks.AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!_records.ContainsKey(name))
        {
            return false;
        }

        AtomicFile.Delete(path);
        _records.TryRemove(name, out _);
        return true;
    }

    // The caller may keep mutating the dictionaries it passed in; what is in memory must match what is on disk.
    private static VolumeRecord Freeze(VolumeRecord record) => record with
    {
        Options = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(record.Options, StringComparer.Ordinal)),
        Properties = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(record.Properties, StringComparer.Ordinal)),
    };

    private static Task WriteAsync(string path, VolumeRecord record, CancellationToken cancellationToken)
    {
        var file = new VolumeRecordFile
        {
            Version = FormatVersion,
            Name = record.Name,
            CreatedAt = record.CreatedAt,
            Options = new Dictionary<string, string>(record.Options, StringComparer.Ordinal),
            Properties = new Dictionary<string, string>(record.Properties, StringComparer.Ordinal),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, StateJsonContext.Default.VolumeRecordFile);
        return AtomicFile.WriteAsync(path, bytes, cancellationToken);
    }

    private static bool HasNullValue(Dictionary<string, string>? map) => map is not null && map.Values.Any(v => v is null);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var path in StateDirectory.Scan(Directory, RecordExtension, _logger))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var expectedName = Path.GetFileName(path)[..^RecordExtension.Length];
            VolumeRecordFile? file;
            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                file = JsonSerializer.Deserialize(bytes, StateJsonContext.Default.VolumeRecordFile);
            }
            catch (JsonException ex)
            {
                StateDirectory.Quarantine(path, $"it is not valid JSON ({ex.Message})", _logger);
                continue;
            }

            if (file is null || file.Version < 1 || file.Name != expectedName || StateNames.Problem(file.Name) is not null
                || HasNullValue(file.Options) || HasNullValue(file.Properties))
            {
                StateDirectory.Quarantine(path, $"it does not hold the record of volume '{expectedName}'", _logger);
                continue;
            }

            if (file.Version > FormatVersion)
            {
                // Written by a newer plugin version: keep the file untouched so upgrading again recovers the volume.
                _logger.LogError(
                    "Skipping state file {Path}: format version {Version} is newer than this plugin understands ({Known})",
                    path, file.Version, FormatVersion);
                continue;
            }

            _records[file.Name] = new VolumeRecord(file.Name, file.CreatedAt)
            {
                Options = new ReadOnlyDictionary<string, string>(file.Options ?? new Dictionary<string, string>(StringComparer.Ordinal)),
                Properties = new ReadOnlyDictionary<string, string>(file.Properties ?? new Dictionary<string, string>(StringComparer.Ordinal)),
            };
        }
    }
}
