namespace Mooring.State;

/// <summary>
/// Makes changes to one directory's entries durable (a rename over a state file, an unlink, a mkdir), sharing one
/// directory fsync among every caller whose change was made before that fsync began: group commit.
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
    private long _changes;
    private long _durableThrough;
    private Batch? _running;

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
        long ticket;
        lock (_gate)
        {
            ticket = ++_changes;
        }

        while (true)
        {
            Batch batch;
            var leader = false;
            lock (_gate)
            {
                if (_durableThrough >= ticket)
                {
                    return;
                }

                if (_running is null)
                {
                    // Every ticket handed out so far belongs to a change already made: this fsync covers them all.
                    _running = new Batch(_changes);
                    leader = true;
                }

                batch = _running;
            }

            if (leader)
            {
                Run(batch);
            }

            if (batch.Covers >= ticket)
            {
                await batch.Done.Task.ConfigureAwait(false); // this batch's fsync decides: its error is ours
                return;
            }

            // The running fsync began before this change was made, so it proves nothing for it; wait it out and go again.
            await ((Task)batch.Done.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Run(Batch batch)
    {
        try
        {
            _fsync(Directory);
            lock (_gate)
            {
                _durableThrough = Math.Max(_durableThrough, batch.Covers);
                _running = null;
            }

            batch.Done.SetResult();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _running = null;
            }

            batch.Done.SetException(ex);
        }
    }

    private sealed class Batch(long covers)
    {
        public long Covers { get; } = covers;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
