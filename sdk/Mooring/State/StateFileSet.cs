using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Mooring.Logging;

namespace Mooring.State;

/// <summary>
/// One directory of per-volume JSON state files (<c>&lt;dataRoot&gt;/.mooring/&lt;kind&gt;/&lt;name&gt;.json</c>) and
/// everything about keeping them: loading with a format-version gate and a name check, atomic writes, durable deletes,
/// and the files that could not be loaded, which are remembered and never touched. <see cref="VolumeStateStore"/> and
/// <see cref="MountLedger"/> both keep their files through it.
/// </summary>
/// <typeparam name="TFile">The on-disk form of one file.</typeparam>
internal sealed class StateFileSet<TFile>
    where TFile : class, IStateFile
{
    /// <summary>Every state file ends with this; other files in the directory are ignored.</summary>
    public const string Extension = ".json";

    private readonly JsonTypeInfo<TFile> _typeInfo;
    private readonly int _formatVersion;
    private readonly Func<TFile, string?> _contentProblem;
    private readonly ILogger _logger;
    private readonly DirectorySync _directorySync;
    private Dictionary<string, UnreadableState> _unreadableByName = new(StringComparer.Ordinal);

    /// <summary>Creates the directory (if needed); <see cref="LoadAsync"/> reads it.</summary>
    /// <param name="dataRoot">The plugin's data root (absolute, existing).</param>
    /// <param name="kind">The subdirectory of <c>.mooring</c>: <c>volumes</c>, <c>mounts</c>.</param>
    /// <param name="typeInfo">How a file is (de)serialized.</param>
    /// <param name="formatVersion">The newest format this version reads and the one it writes.</param>
    /// <param name="contentProblem">Why a parsed file's content is unusable (a null value, a negative count…), or
    /// <see langword="null"/> when it is fine; phrased to follow the file's path, like <see cref="UnreadableState.Reason"/>.</param>
    /// <param name="logger">Where unreadable files and crash leftovers are reported.</param>
    public StateFileSet(string dataRoot, string kind, JsonTypeInfo<TFile> typeInfo, int formatVersion, Func<TFile, string?> contentProblem, ILogger logger)
    {
        _directorySync = new DirectorySync(StateDirectory.Prepare(dataRoot, kind));
        _typeInfo = typeInfo;
        _formatVersion = formatVersion;
        _contentProblem = contentProblem;
        _logger = logger;
    }

    /// <summary>The directory holding the files.</summary>
    public string Directory => _directorySync.Directory;

    /// <summary>The files found at load that could not be read, ordered by name; fixed after <see cref="LoadAsync"/>.</summary>
    public IReadOnlyList<UnreadableState> Unreadable { get; private set; } = [];

    /// <summary>Looks up an unreadable file by volume name.</summary>
    public bool TryGetUnreadable(string name, [NotNullWhen(true)] out UnreadableState? state)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _unreadableByName.TryGetValue(name, out state);
    }

    /// <summary>
    /// Deletes the temporary files a crash left behind and returns every file that loads, ordered by name. Every other
    /// state file is left exactly as it is, remembered in <see cref="Unreadable"/> and logged once as an error.
    /// </summary>
    public async Task<IReadOnlyList<TFile>> LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = new List<TFile>();
        var unreadable = new Dictionary<string, UnreadableState>(StringComparer.Ordinal);
        foreach (var path in Scan())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path)[..^Extension.Length];
            var (file, reason) = await ReadAsync(path, name, cancellationToken).ConfigureAwait(false);
            if (file is not null)
            {
                loaded.Add(file);
                continue;
            }

            MooringLog.Unreadable(_logger, name, path, reason!);
            unreadable[name] = new UnreadableState(name, path, reason!);
        }

        _unreadableByName = unreadable;
        Unreadable = unreadable.Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToArray();
        return loaded;
    }

    /// <summary>
    /// Checks that the volume's file may be written or deleted: the name must be safe as a file name, and its file must
    /// not be one that could not be read. Callers check before taking the volume's lock, so a bad name never waits.
    /// </summary>
    /// <exception cref="VolumeDriverException">The name is invalid, or its state file is unreadable (the message says
    /// which file, why, and what to do).</exception>
    public void EnsureWritable(string name) => _ = WritablePath(name);

    /// <summary>
    /// Atomically replaces the volume's file with <paramref name="file"/> (stamped with the current format version and
    /// the name). On failure the old file is intact and no temporary file is left.
    /// </summary>
    /// <exception cref="VolumeDriverException">See <see cref="EnsureWritable"/>; or the file system failed (the message
    /// names the volume and the cause, e.g. no space left).</exception>
    public async Task WriteAsync(string name, TFile file, CancellationToken cancellationToken)
    {
        var path = WritablePath(name);
        file.Version = _formatVersion;
        file.Name = name;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, _typeInfo);
        try
        {
            await AtomicFile.WriteAsync(_directorySync, path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FileSystemErrors.TryDescribe(name, "save its state", ex, path) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Durably deletes the volume's file; returns whether it existed.</summary>
    /// <exception cref="VolumeDriverException">See <see cref="WriteAsync"/>.</exception>
    public async Task<bool> DeleteAsync(string name)
    {
        var path = WritablePath(name);
        try
        {
            return await AtomicFile.DeleteAsync(_directorySync, path).ConfigureAwait(false);
        }
        catch (Exception ex) when (FileSystemErrors.TryDescribe(name, "delete its state", ex, path) is { } error)
        {
            throw error;
        }
    }

    private string WritablePath(string name)
    {
        var path = StateNames.FileFor(Directory, name, Extension);
        if (_unreadableByName.TryGetValue(name, out var unreadable))
        {
            throw unreadable.Refusal();
        }

        return path;
    }

    // The state files, ordered by name; temporary files of interrupted writes are deleted on the way.
    private List<string> Scan()
    {
        var result = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var fileName = Path.GetFileName(path);
            if (fileName.EndsWith(AtomicFile.TempExtension, StringComparison.Ordinal))
            {
                DeleteLeftover(path);
            }
            else if (fileName.EndsWith(Extension, StringComparison.Ordinal) && fileName.Length > Extension.Length)
            {
                result.Add(path);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private void DeleteLeftover(string path)
    {
        MooringLog.DeletingLeftover(_logger, path);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover is never read, so failing to delete it (a read-only data root) must not stop the plugin.
            MooringLog.LeftoverNotDeleted(_logger, ex, path);
        }
    }

    // Either the file or why it cannot be used. Nothing here writes: an unreadable file stays byte-identical.
    private async Task<(TFile? File, string? Reason)> ReadAsync(string path, string name, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FileSystemErrors.TryGetCause(ex) is { } cause)
        {
            return (null, $"could not be read: {cause}");
        }

        // The version comes first and on its own: a newer format may have reshaped everything else.
        StateFileHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(bytes, StateJsonContext.Default.StateFileHeader);
        }
        catch (JsonException ex)
        {
            return (null, $"is not valid JSON ({ex.Message})");
        }

        if (header is null || header.Version < 1)
        {
            return (null, "has no valid format version");
        }

        if (header.Version > _formatVersion)
        {
            return (null, $"was written by a newer plugin version (format {header.Version}, this plugin reads {_formatVersion})");
        }

        TFile? file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, _typeInfo);
        }
        catch (JsonException ex)
        {
            return (null, $"does not have the layout of format {header.Version} ({ex.Message})");
        }

        if (file?.Name != name)
        {
            return (null, file?.Name is null ? "names no volume" : $"holds the state of volume '{file.Name}', not of '{name}'");
        }

        if (StateNames.Problem(name) is { } nameProblem)
        {
            return (null, $"is for a name that cannot be used: {nameProblem}");
        }

        return _contentProblem(file) is { } problem ? (null, problem) : (file, null);
    }
}
