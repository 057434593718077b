using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mooring.Logging;

namespace Mooring.State;

/// <summary>
/// One directory of per-volume JSON state files (<c>&lt;dataRoot&gt;/.mooring/&lt;kind&gt;/&lt;name&gt;.json</c>) and
/// everything about keeping them: loading with a format-version gate and a name check, durable changes through the
/// directory's <see cref="StateLog"/>, and the files that could not be loaded, which are remembered and never touched.
/// <see cref="VolumeStateStore"/> and <see cref="MountLedger"/> both keep their files through it.
/// </summary>
/// <remarks>
/// A change is acknowledged once its record is in the log; the files catch up at a checkpoint (when the log passes its
/// bound) and at the next start, which replays the log over the files, writes the result and starts an empty log.
/// That start also rewrites every file of an older format at this one, so that an older plugin version, which reads
/// the files but not the log, refuses these volumes (its format gate) instead of acting on state the log has replaced:
/// docs/benchmarks.md ("Durable lifecycle") has the reasoning.
/// </remarks>
/// <typeparam name="TFile">The on-disk form of one file.</typeparam>
internal sealed class StateFileSet<TFile> : IAsyncDisposable
    where TFile : class, IStateFile, new()
{
    /// <summary>Every state file ends with this; other files in the directory are ignored.</summary>
    public const string Extension = ".json";

    /// <summary>Appended to an unreadable state file's path for the log's later change of it, kept beside it (not a
    /// state file: it does not end with <see cref="Extension"/>).</summary>
    public const string SetAsideExtension = ".from-log";

    /// <summary>The format that plugin versions without the state log read: the same files with the same content, so
    /// <see cref="WriteBackForDowngradeAsync"/> changes only the version (format 2 marks a file that a log may have
    /// superseded, docs/reliability.md, "Downgrades").</summary>
    public const int FormatWithoutLog = 1;

    private readonly int _formatVersion;
    private readonly Func<TFile, string?> _contentProblem;
    private readonly ILogger _logger;
    private readonly DirectorySync _directorySync;
    private readonly string _logPath;
    private readonly long _checkpointBound;

    // The names whose file exists once the log is checkpointed, so deleting an absent one costs no log record.
    private readonly ConcurrentDictionary<string, byte> _present = new(StringComparer.Ordinal);
    private Dictionary<string, UnreadableState> _unreadableByName = new(StringComparer.Ordinal);
    private StateLog? _log;
    private StateDirectoryLock? _lock;
    private Exception? _openFailure;

    /// <summary>Creates the directory (if needed); <see cref="LoadAsync"/> reads it.</summary>
    /// <param name="dataRoot">The plugin's data root (absolute, existing).</param>
    /// <param name="kind">The subdirectory of <c>.mooring</c>: <c>volumes</c>, <c>mounts</c>.</param>
    /// <param name="formatVersion">The newest format this version reads and the one it writes.</param>
    /// <param name="contentProblem">Why a parsed file's content is unusable (a null value, a negative count…), or
    /// <see langword="null"/> when it is fine; phrased to follow the file's path, like <see cref="UnreadableState.Reason"/>.</param>
    /// <param name="logger">Where unreadable files and crash leftovers are reported.</param>
    /// <param name="checkpointBound">The log's length past which changes are written into the files.</param>
    public StateFileSet(string dataRoot, string kind, int formatVersion, Func<TFile, string?> contentProblem, ILogger logger, long checkpointBound = StateLog.DefaultCheckpointBound)
    {
        _checkpointBound = checkpointBound;
        _directorySync = new DirectorySync(StateDirectory.Prepare(dataRoot, kind));
        _logPath = Path.Join(_directorySync.Directory, StateLog.FileName);
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
    /// Deletes the temporary files a crash left behind, replays the log over the files, writes the result into them
    /// (at this format) and starts an empty log; returns every state that loads, ordered by name. Every other state
    /// file is left exactly as it is, remembered in <see cref="Unreadable"/> and logged once as an error.
    /// </summary>
    /// <exception cref="InvalidDataException">The log is damaged before its end or of a newer format (the message
    /// says which file and what to do); nothing has been changed.</exception>
    /// <exception cref="IOException">Another process has the directory open (<see cref="StateDirectoryLock"/>).</exception>
    public async Task<IReadOnlyList<TFile>> LoadAsync(CancellationToken cancellationToken)
    {
        // Before anything is read or deleted: a temporary file may be another process's write in progress.
        _lock = StateDirectoryLock.Acquire(Directory, _logger);
        try
        {
            return await LoadLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _lock?.Dispose();
            _lock = null;
            throw;
        }
    }

    private async Task<IReadOnlyList<TFile>> LoadLockedAsync(CancellationToken cancellationToken)
    {
        // Not a SortedDictionary: that and the SortedSet under it were 27 KB of every state-backed plugin's binary for one
        // ordering, which the end of this method gives the loaded files instead (docs/footprint.md).
        var loaded = new Dictionary<string, TFile>(StringComparer.Ordinal);
        var unreadable = new Dictionary<string, UnreadableState>(StringComparer.Ordinal);
        foreach (var path in Scan())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path)[..^Extension.Length];
            var (file, reason) = Read(path, name);
            if (file is not null)
            {
                loaded[name] = file;
                continue;
            }

            MooringLog.Unreadable(_logger, name, path, reason!);
            unreadable[name] = new UnreadableState(name, path, reason!);
        }

        // Every file that changes below, with its content: the log's latest change of each name, and the files of an
        // older format, rewritten at this one.
        var writes = Replay(loaded, unreadable, out var logHoldsNothing, out var heldBack);
        foreach (var (name, file) in loaded)
        {
            if (file.Version < _formatVersion && !writes.ContainsKey(name))
            {
                writes[name] = Serialize(name, file);
            }
        }

        try
        {
            foreach (var (name, content) in writes)
            {
                await WriteFileAsync(name, content).ConfigureAwait(false);
            }

            foreach (var (name, content) in heldBack)
            {
                unreadable[name] = await SetAsideAsync(unreadable[name], content).ConfigureAwait(false);
            }

            // Only once every change is in the files may the log that holds them be replaced by an empty one. A log that
            // holds nothing is kept: replacing it would cost a restart two syncs that write (docs/benchmarks.md, "No
            // thread pool while a state-backed plugin starts").
            // The files now: every loaded name's (replay and the writes above deleted the others'), and the unreadable.
            var filed = new List<string>(loaded.Keys);
            filed.AddRange(unreadable.Keys);
            _log = logHoldsNothing ? StateLog.Reopen(_logPath, filed, _checkpointBound) : StateLog.Create(_logPath, filed, _checkpointBound);
        }
        catch (Exception ex) when (FileSystemErrors.TryGetCause(ex) is not null)
        {
            // A read-only or full data root: the state is known (files and log are as they were, and replay again at
            // the next start), it only cannot change. Every change is refused with this cause.
            _openFailure = ex;
            MooringLog.StateReadOnly(_logger, ex, Directory);
        }

        foreach (var name in loaded.Keys)
        {
            _present[name] = 0;
        }

        _unreadableByName = unreadable;
        Unreadable = unreadable.Values.ToSortedArray(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return Array.ConvertAll(loaded.Keys.ToSortedArray(string.CompareOrdinal), name => loaded[name]);
    }

    /// <summary>
    /// Checks that the volume's file may be written or deleted: the name must be safe as a file name, and its file must
    /// not be one that could not be read. Callers check before taking the volume's lock, so a bad name never waits.
    /// </summary>
    /// <exception cref="VolumeDriverException">The name is invalid, or its state file is unreadable (the message says
    /// which file, why, and what to do).</exception>
    public void EnsureWritable(string name)
    {
        // Without building the file's path (every change checks, some twice): a name StateNames.Validate accepts names
        // a file in Directory (StateNames.FileFor).
        StateNames.Validate(name);
        if (_unreadableByName.TryGetValue(name, out var unreadable))
        {
            throw unreadable.Refusal();
        }
    }

    /// <summary>
    /// Durably replaces the volume's state with <paramref name="file"/> (stamped with the current format version and
    /// the name). On failure the old state stays.
    /// </summary>
    /// <exception cref="VolumeDriverException">See <see cref="EnsureWritable"/>; or the file system failed (the message
    /// names the volume and the cause, e.g. no space left).</exception>
    public async Task WriteAsync(string name, TFile file, CancellationToken cancellationToken)
    {
        EnsureWritable(name);
        await AppendAsync(name, Serialize(name, file), "save its state", cancellationToken).ConfigureAwait(false);
        _present[name] = 0;
        await CheckpointIfDueAsync().ConfigureAwait(false);
    }

    /// <summary>Deletes the volume's state; returns whether it existed.</summary>
    /// <param name="name">The volume.</param>
    /// <param name="sync">Whether the deletion is durable when this returns; see <see cref="StateLog.AppendAsync"/>.</param>
    /// <exception cref="VolumeDriverException">See <see cref="WriteAsync"/>.</exception>
    public async Task<bool> DeleteAsync(string name, bool sync = true)
    {
        EnsureWritable(name);
        if (!_present.ContainsKey(name))
        {
            return false;
        }

        await AppendAsync(name, null, "delete its state", CancellationToken.None, sync).ConfigureAwait(false);
        _present.TryRemove(name, out _);
        await CheckpointIfDueAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// For a downgrade to a version without the state log: writes the log's changes into the files, then rewrites every
    /// file this process loaded or wrote at <see cref="FormatWithoutLog"/>, and from then on refuses every change (an older
    /// version would not see it) until the next start, which rewrites the files at this format again. Files that could
    /// not be loaded are left as they are.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for changes in progress before anything is written.</param>
    /// <returns>How many files are now at <see cref="FormatWithoutLog"/>.</returns>
    /// <exception cref="IOException">A file could not be written; the message names it. Changes stay refused when the
    /// rewrite had begun (some files may be at the older format already); running this again retries.</exception>
    public async Task<int> WriteBackForDowngradeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var written = 0;
        await Log.SealAsync(WriteFileAsync, WriteBackAsync, DowngradeRefusal).ConfigureAwait(false);
        return written;

        async Task WriteBackAsync()
        {
            // From the disk, not from memory: the checkpoint has just made the files the whole state, and this is what the
            // older version will read.
            foreach (var path in Scan())
            {
                var name = Path.GetFileName(path)[..^Extension.Length];
                if (_unreadableByName.ContainsKey(name))
                {
                    continue; // never touched: it may be a newer version's, or the operator's to repair
                }

                var (file, reason) = Read(path, name);
                if (file is null)
                {
                    throw new IOException($"the state file '{path}' {reason}, so it cannot be written back at format {FormatWithoutLog}");
                }

                if (file.Version != FormatWithoutLog)
                {
                    file.Version = FormatWithoutLog;
                    await AtomicFile.WriteAsync(_directorySync, path, StateFileJson.Write(file), CancellationToken.None).ConfigureAwait(false);
                }

                written++;
            }
        }
    }

    /// <summary>Writes the log's changes into the files (a failure is logged: the next start replays the log) and
    /// closes the log; later changes throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_log is { } log)
        {
            await TryCheckpointAsync(log, force: true).ConfigureAwait(false);
            await log.DisposeAsync().ConfigureAwait(false);
        }

        // Last: the next process may open the directory once this one has written everything it will write.
        _lock?.Dispose();
    }

    // Follows "could not save its state: " in the refusal of a change after WriteBackForDowngradeAsync.
    private static string DowngradeRefusal
        => $"the plugin's state was written back at format {FormatWithoutLog} for a downgrade (ctl prepare-downgrade), so no change is accepted; install the older plugin version, or restart this one to accept changes again";

    private StateLog Log
    {
        get
        {
            if (_log is { } log)
            {
                return log;
            }

            // The cause found at start, described by the caller like a failure of its own write.
            if (_openFailure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw new InvalidOperationException("the state files have not been loaded");
        }
    }

    private async Task AppendAsync(string name, byte[]? content, string doing, CancellationToken cancellationToken, bool sync = true)
    {
        try
        {
            await Log.AppendAsync(name, content, cancellationToken, sync).ConfigureAwait(false);
        }
        catch (Exception ex) when (FileSystemErrors.TryDescribe(name, doing, ex, _logPath) is { } error)
        {
            throw error;
        }
    }

    // The change that set off a checkpoint is already durable in the log, so a failed checkpoint is not its failure.
    private async Task CheckpointIfDueAsync()
    {
        if (_log is { CheckpointDue: true } log)
        {
            await TryCheckpointAsync(log, force: false).ConfigureAwait(false);
        }
    }

    // A failed checkpoint loses nothing: every change is still in the log, which the next checkpoint or start writes.
    private async Task TryCheckpointAsync(StateLog log, bool force)
    {
        try
        {
            await log.CheckpointAsync(WriteFileAsync, force).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever failed, the log keeps the changes
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MooringLog.CheckpointFailed(_logger, ex, log.Path);
        }
    }

    // The log is about to be emptied, and the latest change it holds for a name whose file cannot be read must not go
    // with it: the file stays as it is (it may be a newer version's, or the operator's to repair), and the change is
    // kept beside it as <name>.json.from-log, which the reason names. A removal keeps no file; the reason says it.
    private async Task<UnreadableState> SetAsideAsync(UnreadableState state, byte[]? content)
    {
        if (content is null)
        {
            MooringLog.LogChangeForUnreadable(_logger, state.Name, "its removal (the volume was removed after the file was written)");
            return state with { Reason = $"{state.Reason}; the state log's later change of it, its removal, was not applied" };
        }

        var saved = state.Path + SetAsideExtension;
        await AtomicFile.WriteAsync(_directorySync, saved, content, CancellationToken.None).ConfigureAwait(false);
        MooringLog.LogChangeForUnreadable(_logger, state.Name, $"saved in {saved}");
        return state with { Reason = $"{state.Reason}; the state log held a later change of it, saved in '{saved}'" };
    }

    private Task WriteFileAsync(string name, byte[]? content)
    {
        var path = StateNames.FileFor(Directory, name, Extension);
        return content is null
            ? AtomicFile.DeleteAsync(_directorySync, path)
            : AtomicFile.WriteAsync(_directorySync, path, content, CancellationToken.None);
    }

    private byte[] Serialize(string name, TFile file)
    {
        file.Version = _formatVersion;
        file.Name = name;
        return StateFileJson.Write(file);
    }

    // Applies the log's changes to the loaded files; returns the latest content of each changed name.
    // logHoldsNothing: the log is there, at this format, with no change and no torn bytes after its header.
    // heldBack: the latest change of each name whose file is unreadable, which is not applied (SetAsideAsync).
    private Dictionary<string, byte[]?> Replay(
        Dictionary<string, TFile> loaded,
        Dictionary<string, UnreadableState> unreadable,
        out bool logHoldsNothing,
        out Dictionary<string, byte[]?> heldBack)
    {
        heldBack = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var replay = StateLogFormat.Read(_logPath);
        logHoldsNothing = replay.Changes.Count == 0 && replay.TornLength == 0 && replay.ValidLength == StateLogFormat.Header.Length;
        if (replay.TornLength > 0 && replay.ValidLength > 0)
        {
            MooringLog.DroppedTornChange(_logger, _logPath, replay.TornLength);
        }

        var writes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var change in replay.Changes)
        {
            if (unreadable.ContainsKey(change.Name))
            {
                heldBack[change.Name] = change.Content;
                continue;
            }

            if (change.Content is null)
            {
                loaded.Remove(change.Name);
                writes[change.Name] = null;
                continue;
            }

            // The log is this plugin's own, checksummed writing: a change in it that does not read back is not a torn
            // file to skip but a log this version must not guess at.
            var (file, reason) = Parse(change.Content, change.Name);
            if (file is null)
            {
                throw StateLogFormat.Refused(_logPath, $"its change of volume '{change.Name}' {reason}");
            }

            loaded[change.Name] = file;
            writes[change.Name] = file.Version < _formatVersion ? Serialize(change.Name, file) : change.Content;
        }

        return writes;
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

    // Either the file or why it cannot be used. Nothing here writes: an unreadable file stays byte-identical. Read
    // synchronously: a state file is small and local, and an asynchronous read would hop to the thread pool for each
    // file, starting its threads while the plugin loads (docs/benchmarks.md, "No thread pool while a state-backed
    // plugin starts").
    private (TFile? File, string? Reason) Read(string path, string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (FileSystemErrors.TryGetCause(ex) is { } cause)
        {
            return (null, $"could not be read: {cause}");
        }

        return Parse(bytes, name);
    }

    // Either the state or why it cannot be used, for a file's or a log record's bytes.
    private (TFile? File, string? Reason) Parse(byte[] bytes, string name)
    {
        // The version comes first and on its own: a newer format may have reshaped everything else.
        int version;
        try
        {
            version = StateFileJson.ReadVersion(bytes) ?? 0;
        }
        catch (JsonException ex)
        {
            return (null, $"is not valid JSON ({ex.Message})");
        }

        if (version < 1)
        {
            return (null, "has no valid format version");
        }

        if (version > _formatVersion)
        {
            return (null, $"was written by a newer plugin version (format {version}, this plugin reads {_formatVersion})");
        }

        TFile file;
        try
        {
            file = StateFileJson.Read<TFile>(bytes);
        }
        catch (JsonException ex)
        {
            return (null, $"does not have the layout of format {version} ({ex.Message})");
        }

        if (file.Name != name)
        {
            return (null, file.Name is null ? "names no volume" : $"holds the state of volume '{file.Name}', not of '{name}'");
        }

        if (StateNames.Problem(name) is { } nameProblem)
        {
            return (null, $"is for a name that cannot be used: {nameProblem}");
        }

        return _contentProblem(file) is { } problem ? (null, problem) : (file, null);
    }
}
