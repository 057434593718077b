using Microsoft.Win32.SafeHandles;

namespace Mooring.State;

/// <summary>
/// The append-only log in front of one <see cref="StateFileSet{TFile}"/>'s files: a change is acknowledged once its
/// record is on disk, and concurrent changes share one <c>fdatasync</c> (group commit through
/// <see cref="DirectorySync"/>'s batching). The files are brought up to date later, by <see cref="CheckpointAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why: a durable change to a file of its own costs a temporary file, its fsync, a rename and a directory fsync; a log
/// record costs one write and a share of one fdatasync. docs/benchmarks.md ("Durable lifecycle") has the figures.
/// </para>
/// <para>
/// The files are only ever written by a checkpoint, which holds the log's gate: the changes appended so far are made
/// durable, every changed name's file is written atomically with its latest content, and only then is the log emptied.
/// A crash anywhere in between leaves files that are older than or equal to the log, and replaying the log over them
/// (<see cref="StateLogFormat.Read"/>, at the next start) gives the latest state either way.
/// </para>
/// <para>
/// The log is extended ahead of its records with written zeros, <see cref="PreallocationChunk"/> at a time, so that an
/// append overwrites blocks the file already has and its fdatasync writes the record's page and nothing else: the file's
/// size and block map stay as they are, and only a change of those makes fdatasync write the inode too (one more write
/// and wait per sync on ext4). A reader sees zeros where records end (<see cref="StateLogFormat.Read"/>).
/// </para>
/// <para>
/// A failed fdatasync breaks the log for good: Linux may report a later fdatasync as successful although the failed
/// one's pages were dropped, so no later change could be acknowledged honestly. Every append after it is refused
/// until the plugin restarts (which replays what is on disk). A failed write is undone by truncating the log back.
/// </para>
/// </remarks>
internal sealed class StateLog : IAsyncDisposable
{
    /// <summary>The log's file name in its directory; it is neither a state file nor a temporary one.</summary>
    public const string FileName = "changes.log";

    /// <summary>The length past which a change triggers a checkpoint.</summary>
    public const long DefaultCheckpointBound = 1 << 20;

    /// <summary>How much zero-filled space the log adds past its end when a record would not fit.</summary>
    public const int PreallocationChunk = 64 << 10;

    private static readonly byte[] Zeros = new byte[PreallocationChunk];

    private readonly SafeFileHandle _handle;
    private readonly DirectorySync _commit;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly long _checkpointBound;
    private Dictionary<string, byte[]?> _changed = new(StringComparer.Ordinal);

    // The names whose file may exist: those the log was opened with, and every name a checkpoint has begun to write
    // (a write that failed half-way may have left the file). A deletion of any other name leaves nothing for the next
    // checkpoint to do, so the name is dropped from _changed instead of kept until then: a create-then-remove churn
    // held every name it touched until the next checkpoint, enough to grow the GC's young-generation budget.
    private readonly HashSet<string> _filed;
    private long _length;
    private long _allocated;
    private Exception? _broken;
    private string? _sealed;
    private bool _disposed;

    private StateLog(string path, SafeFileHandle handle, long checkpointBound, long allocated, IEnumerable<string> filed)
    {
        _filed = new HashSet<string>(filed, StringComparer.Ordinal);
        Path = path;
        _handle = handle;
        _length = StateLogFormat.Header.Length;
        _allocated = Math.Max(allocated, _length);
        _checkpointBound = checkpointBound;
        _commit = new DirectorySync(path, _ => Sync());
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Whether the log has grown past its bound, so a checkpoint is due.</summary>
    public bool CheckpointDue => Volatile.Read(ref _length) > _checkpointBound;

    /// <summary>
    /// Starts an empty log at <paramref name="path"/> (a <see cref="FileName"/> in a state directory), replacing the one
    /// there (whose changes the caller has written into the files), and makes it durable before any change is appended.
    /// </summary>
    /// <param name="path">The log file.</param>
    /// <param name="filed">Every name whose file is in the directory.</param>
    /// <param name="checkpointBound">The length past which a change triggers a checkpoint.</param>
    public static StateLog Create(string path, IEnumerable<string> filed, long checkpointBound = DefaultCheckpointBound) => Open(path, filed, checkpointBound, keep: false);

    /// <summary>
    /// Continues the log at <paramref name="path"/>, which holds no change (its header, then only the zeros a previous
    /// run wrote ahead), instead of replacing it as <see cref="Create"/> does. Nothing is written: the fdatasync and the
    /// directory's fsync find nothing to do when the file already is on disk (every restart of an idle plugin), and
    /// still make it durable when a crash left it only in the page cache.
    /// </summary>
    /// <param name="path">The log file.</param>
    /// <param name="filed">Every name whose file is in the directory.</param>
    /// <param name="checkpointBound">The length past which a change triggers a checkpoint.</param>
    public static StateLog Reopen(string path, IEnumerable<string> filed, long checkpointBound = DefaultCheckpointBound) => Open(path, filed, checkpointBound, keep: true);

    /// <summary>
    /// Appends a change of <paramref name="name"/>'s file (its whole new content, or <see langword="null"/> when it is
    /// deleted) and returns once it is on disk.
    /// </summary>
    /// <param name="name">The volume name (already validated).</param>
    /// <param name="content">The file's content, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for a running checkpoint; once written, the change is finished
    /// even if the caller gives up, or memory and disk would disagree.</param>
    /// <param name="sync">Whether to wait for the fdatasync. Without it the change is durable with the next change's
    /// (or a checkpoint's) sync: only for a change whose loss in a crash the next start repairs by itself.</param>
    /// <exception cref="IOException">The write or the fdatasync failed: the change is not acknowledged.</exception>
    public async Task AppendAsync(string name, byte[]? content, CancellationToken cancellationToken, bool sync = true)
    {
        var record = StateLogFormat.Encode(name, content);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfBroken();
            ThrowIfSealed();
            try
            {
                // The zeros are made durable by this record's fdatasync, with the new size: once per chunk.
                while (_length + record.Length > _allocated)
                {
                    RandomAccess.Write(_handle, Zeros, _allocated);
                    _allocated += Zeros.Length;
                }

                RandomAccess.Write(_handle, record, _length);
            }
            catch
            {
                // A part of the record may be in the file; the next record must not land behind it.
                Undo();
                throw;
            }

            Volatile.Write(ref _length, _length + record.Length);
            if (content is null && !_filed.Contains(name))
            {
                _changed.Remove(name); // created since the last checkpoint: no file to delete
            }
            else
            {
                _changed[name] = content;
            }
        }
        finally
        {
            _gate.Release();
        }

        if (sync)
        {
            await _commit.SyncAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When <see cref="CheckpointDue"/> (or always, when <paramref name="force"/>), writes every name changed since the
    /// last checkpoint into its file through <paramref name="writeFile"/> and empties the log. Appends wait meanwhile.
    /// </summary>
    /// <exception cref="IOException">A file or the log could not be written: the log keeps every change (nothing is
    /// lost) and the next checkpoint tries again.</exception>
    public async Task CheckpointAsync(Func<string, byte[]?, Task> writeFile, bool force = false)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A log past its bound is emptied even when no file changes: its changes may all have cancelled out.
            if (_disposed || !(force || CheckpointDue))
            {
                return;
            }

            await CheckpointLockedAsync(writeFile).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Writes every change into the files as a forced <see cref="CheckpointAsync"/> does, then refuses every later
    /// append with <paramref name="refusal"/> for as long as the log is open, and runs <paramref name="writeBack"/>: a
    /// downgrade's rewrite of the files for a version that reads no log, which no change may overtake. Appends wait
    /// meanwhile, and those that waited are refused.
    /// </summary>
    /// <param name="writeFile">Writes one name's latest content into its file, as for a checkpoint.</param>
    /// <param name="writeBack">Runs once the log is empty and sealed.</param>
    /// <param name="refusal">The message of every later append's <see cref="IOException"/>.</param>
    /// <exception cref="IOException">The checkpoint failed (the log keeps its changes and is not sealed), or
    /// <paramref name="writeBack"/> did (the log stays sealed: some files may already be rewritten).</exception>
    public async Task SealAsync(Func<string, byte[]?, Task> writeFile, Func<Task> writeBack, string refusal)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await CheckpointLockedAsync(writeFile).ConfigureAwait(false);

            // Before the first file is rewritten, and for good: a change logged after it would be missing from a file the
            // older version reads as the whole truth. The next start rewrites the files at this format again.
            _sealed = refusal;
            await writeBack().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the log once no append or checkpoint runs; later ones throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _handle.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    // Holding the gate: makes the log durable, writes every changed name's file, then empties the log.
    private async Task CheckpointLockedAsync(Func<string, byte[]?, Task> writeFile)
    {
        if (_changed.Count == 0 && _length == StateLogFormat.Header.Length)
        {
            return;
        }

        ThrowIfBroken();

        // Each change written into a file must be durable in the log first, or a crash could keep a change in a
        // file whose record (and acknowledgement) never happened, and then drop it at the truncate below.
        Sync();
        foreach (var (name, content) in _changed)
        {
            if (content is not null)
            {
                _filed.Add(name); // before the write: a write that fails half-way may leave the file
            }

            await writeFile(name, content).ConfigureAwait(false);
            if (content is null)
            {
                _filed.Remove(name);
            }
        }

        RandomAccess.SetLength(_handle, StateLogFormat.Header.Length);
        Sync();
        Volatile.Write(ref _length, StateLogFormat.Header.Length);
        _allocated = _length;
        _changed = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
    }

    // keep: continue the file as it is (Reopen), its zeros counted as allocated; else replace it with a header (Create).
    // Either way the file and its directory entry are durable before any change is appended.
    private static StateLog Open(string path, IEnumerable<string> filed, long checkpointBound, bool keep)
    {
        var handle = File.OpenHandle(path, keep ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long allocated = 0;
            if (keep)
            {
                allocated = RandomAccess.GetLength(handle);
            }
            else
            {
                RandomAccess.Write(handle, StateLogFormat.Header, 0);
            }

            Libc.Fdatasync(handle, path);
            Libc.FsyncDirectory(System.IO.Path.GetDirectoryName(path)!);
            return new StateLog(path, handle, checkpointBound, allocated, filed);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private void Sync()
    {
        try
        {
            Libc.Fdatasync(_handle, Path);
        }
        catch (IOException ex)
        {
            _broken ??= ex;
            throw;
        }
    }

    private void Undo()
    {
        try
        {
            RandomAccess.SetLength(_handle, _length);
            _allocated = _length;
        }
        catch (IOException ex)
        {
            _broken ??= ex;
        }
    }

    private void ThrowIfBroken()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken is { } broken)
        {
            throw new IOException($"the state log '{Path}' failed earlier ({broken.Message}), so no change can be made durable; restart the plugin", broken);
        }
    }

    private void ThrowIfSealed()
    {
        if (_sealed is { } refusal)
        {
            throw new IOException(refusal);
        }
    }
}
