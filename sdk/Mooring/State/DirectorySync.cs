namespace Mooring.State;

/// <summary>
/// Makes changes to one directory's entries durable (a rename over a state file, an unlink, a mkdir), sharing one
/// directory fsync among every caller whose change was made before that fsync began: group commit. <see cref="StateLog"/>
/// uses the same batching with its log's fdatasync as the sync (the constructor's <c>fsync</c>).
/// </summary>
/// <remarks>
/// <para>
/// A rename or an unlink is durable once the directory has been fsynced after it. The caller makes its change, then calls
/// <see cref="SyncAsync"/>, which returns only after an fsync that <em>began after the call</em> has succeeded. With one
/// caller that is one fsync, as before. With concurrent callers (dockerd sends requests for different volumes at once),
/// the callers that arrive while an fsync runs wait for it to finish and are then covered together by the next one. The
/// caller that starts an fsync runs it on its own thread, as a plain fsync call would.
/// </para>
/// <para>
/// A failed fsync fails every caller it was to cover, and is never retried for them: after a failed fsync Linux may
/// report a later one as successful although the change was lost, so only an error is the truth. Callers who arrived
/// after the failed fsync began are covered by the next one.
/// </para>
/// </remarks>
internal sealed class DirectorySync
{
    private readonly Action<string> _fsync;
    private readonly Lock _gate = new();
    private Batch? _running;
    private Batch? _last;

    /// <summary>Group commit for <paramref name="directory"/>.</summary>
    /// <param name="directory">The directory whose entries change.</param>
    /// <param name="fsync">The fsync of a directory; tests put a probe in its place.</param>
    public DirectorySync(string directory, Action<string>? fsync = null)
    {
        Directory = directory;
        _fsync = fsync ?? Libc.FsyncDirectory;
    }

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>Returns once a directory fsync that began after this call has succeeded; throws if the one that was to
    /// cover this call failed. Takes no cancellation token: the change is already made, and it is finished even if the
    /// caller gives up, or memory and disk would disagree.</summary>
    public async ValueTask SyncAsync()
    {
        Batch batch;
        bool leader;
        lock (_gate)
        {
            leader = _running is null;
            batch = _running ?? Start();
        }

        if (!leader)
        {
            // The running fsync began before this change was made, so it proves nothing for it. The one that decides is
            // the fsync after it: whoever comes first starts it, and a caller that wakes late finds it through Next even
            // when it has already finished (or failed: a later success must not stand in for that failure).
            var before = batch;
            await ((Task)before.Done.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            lock (_gate)
            {
                leader = before.Next is null;
                batch = before.Next ?? Start();
            }
        }

        if (leader)
        {
            Run(batch);
        }

        await batch.Done.Task.ConfigureAwait(false); // this batch's fsync decides: its error is ours
    }

    // Under _gate, with no fsync running: the new batch covers every change made so far.
    private Batch Start()
    {
        var batch = new Batch();
        _last?.Next = batch;
        _last = batch;
        _running = batch;
        return batch;
    }

    private void Run(Batch batch)
    {
        Exception? error = null;
        try
        {
            _fsync(Directory);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        lock (_gate)
        {
            _running = null;
        }

        if (error is null)
        {
            batch.Done.SetResult();
        }
        else
        {
            batch.Done.SetException(error);
        }
    }

    // One fsync and everyone it covers. Next is the fsync that followed it, set when that one starts.
    private sealed class Batch
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Batch? Next { get; set; }
    }
}
