using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Mooring.State;

namespace Mooring.Hosting.Http;

/// <summary>
/// A connection served by the <see cref="EventLoop"/>: its receive does not wait, and when nothing is there the
/// connection arms itself and its request loop yields; the poller that takes the event resumes it inline.
/// </summary>
internal sealed partial class HttpConnection : IValueTaskSource
{
    // What the connection's armed event means, taken by whoever handles it (the poller, or Abort) with one exchange.
    private const int WaitingForNothing = 0;
    private const int WaitingToStart = 1;
    private const int WaitingToReceive = 2;
    private const int WatchingForHangUp = 3;

    // Marks the wait as over before its continuation was registered.
    private static readonly Action<object?> Signaled = static _ => { };

    // The connection whose request loop this thread is running from one of the places that resume it (Resume); a
    // receive it runs defers its arm to the end of that run.
    [ThreadStatic]
    private static HttpConnection? t_running;

    private readonly EventLoop? _loop;

    // The one wait for the socket to become readable (an IValueTaskSource of one waiter, reset before each arm). Not
    // ManualResetValueTaskSourceCore: when the event comes before the continuation is registered (the next bytes arrive
    // on another poller while this thread is still on its way to the await) it hands the continuation to the thread
    // pool, and a plugin would start the pool for it; here the continuation then runs on the thread that registers it.
    private Action<object?>? _continuation;
    private object? _continuationState;
    private short _version;
    private int _waiting;
    private bool _armDeferred;
    private Action? _resumeAfterCall;

    // Just answered: a client that waits for each answer has not sent its next request yet, so the next receive arms
    // the socket before trying (a receive that would only say "nothing yet" saved per request).
    private bool _answered;

    /// <summary>Hands the connection to its loop: the first event (the request, or the client's hang-up) starts its
    /// request loop on a poller, never on the accepting thread.</summary>
    public void StartOnLoop()
    {
        _loop!.Add(this);
        Arm(WaitingToStart, Libc.EPOLLIN | Libc.EPOLLRDHUP, add: true);
    }

    /// <summary>The loop's event for this connection.</summary>
    public void OnReady()
    {
        switch (Interlocked.Exchange(ref _waiting, WaitingForNothing))
        {
            case WaitingToStart:
                Resume(start: true);
                break;
            case WaitingToReceive:
                Resume(start: false); // the request loop goes on here, on the poller
                break;
            case WatchingForHangUp:
                if (_threaded!.PeerClosed())
                {
                    Abort(); // dockerd gave up on the call: cancels the driver's token
                }

                break;
        }
    }

    // Abort shut the socket down: whatever waits on it ends (its receive then reports the end).
    private void WakeAborted() => EndWait(Interlocked.Exchange(ref _waiting, WaitingForNothing));

    // Ends a wait its event will never end (the socket is closed): a receive resumes and reads the end; a connection
    // that never started is let go.
    private void EndWait(int waiting)
    {
        if (waiting == WaitingToReceive)
        {
            Resume(start: false);
        }
        else if (waiting == WaitingToStart)
        {
            EndUnstarted();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveOnLoopAsync(Memory<byte> into)
    {
        var armFirst = _answered;
        _answered = false;
        while (true)
        {
            var received = armFirst ? -1 : _threaded!.TryReceive(into.Span);
            armFirst = false;
            if (received >= 0)
            {
                return received;
            }

            _continuation = null;
            _version++;
            if (t_running == this)
            {
                _armDeferred = true; // armed by Resume once this await has been registered all the way up
            }
            else
            {
                Arm(WaitingToReceive, Libc.EPOLLIN | Libc.EPOLLRDHUP, add: false);
            }

            await new ValueTask(this, _version).ConfigureAwait(false);
        }
    }

    // A driver call that did not answer at once: the socket is armed for the client's hang-up while it runs (not with
    // bytes of a pipelined request already buffered: then there is nothing to watch for, as in the pooled mode).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpAnswer?> AwaitWatchingOnLoopAsync(ValueTask<HttpAnswer?> pending)
    {
        if (_start == _end)
        {
            Arm(WatchingForHangUp, Libc.EPOLLRDHUP, add: false);
        }

        try
        {
            // Not awaited directly: the thread that completes the call (a driver's own, or the pool's) would run the
            // request loop on with no Resume around it. Its completion resumes this connection's one wait instead.
            _continuation = null;
            _version++;
            var call = pending.ConfigureAwait(false).GetAwaiter();
            call.UnsafeOnCompleted(_resumeAfterCall ??= () => Resume(start: false));
            await new ValueTask(this, _version).ConfigureAwait(false);
            return call.GetResult();
        }
        finally
        {
            // A hang-up event still on its way finds nothing to do; the next receive arms the socket again.
            Interlocked.CompareExchange(ref _waiting, WaitingForNothing, WatchingForHangUp);
        }
    }

    // Only the first arm adds the socket to the epoll set; every later one runs after an event of it, so the socket is
    // in the set and is modified. (Not decided by a flag the first arm sets after its epoll_ctl: the event can reach
    // another poller, which runs the request and arms again, before the accepting thread has set it; that ADD failed
    // with EEXIST and the hang-up watch of the request in progress was lost.)
    private void Arm(int waiting, uint events, bool add)
    {
        Volatile.Write(ref _waiting, waiting);
        try
        {
            _loop!.Arm(_threaded!, Id, events, add);
        }
        catch (ObjectDisposedException)
        {
            // The socket is closed (an abort): end the wait as the abort would have.
            if (Interlocked.CompareExchange(ref _waiting, WaitingForNothing, waiting) == waiting)
            {
                EndWait(waiting);
            }
        }
        catch (IOException ex)
        {
            // epoll refused a live socket: nothing would ever wake it (and a receive would retry at once, for ever), so
            // the connection is closed, which ends the wait.
            _server.ConnectionFailed(this, ex);
            Abort();
        }
    }

    // A connection closed before its first event: what RunAsync's end would have done.
    private void EndUnstarted()
    {
        _server.Remove(this);
        _loop!.Remove(this);
        _aborted.Dispose();
    }

    // Runs the request loop on from here: its start, or the end of its wait. A receive that finds nothing defers its
    // arm to the end of this run, when every await of the request loop has registered its continuation. Armed at once,
    // the event could reach another poller, which would end the receive while this thread was still registering the
    // awaits above it; a pooled async method's box then hands its continuation to the thread pool (seen as requests
    // that waited 0.5-0.9 s for a pool thread in a loaded test host, and a pool started in the plugin).
    private void Resume(bool start)
    {
        var outer = t_running;
        t_running = this;
        var ran = start;
        try
        {
            if (start)
            {
                _ = RunAsync();
            }
            else
            {
                ran = SignalReadable();
            }
        }
        finally
        {
            // A wait that ended before its continuation was registered goes on on the thread registering it, whose own
            // Resume arms what it defers.
            t_running = outer;
            if (ran && _armDeferred)
            {
                _armDeferred = false;
                Arm(WaitingToReceive, Libc.EPOLLIN | Libc.EPOLLRDHUP, add: false);
            }
        }
    }

    // Ends the wait; true when its continuation ran here.
    private bool SignalReadable()
    {
        var continuation = Interlocked.Exchange(ref _continuation, Signaled);
        if (continuation is null || ReferenceEquals(continuation, Signaled))
        {
            return false;
        }

        continuation(_continuationState);
        return true;
    }

    void IValueTaskSource.GetResult(short token)
    {
        // Nothing to return: the receive that follows reads the socket.
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) =>
        ReferenceEquals(Volatile.Read(ref _continuation), Signaled) ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _continuationState = state;
        if (Interlocked.CompareExchange(ref _continuation, continuation, null) is not null)
        {
            continuation(state); // signaled in between: go on here
        }
    }
}
