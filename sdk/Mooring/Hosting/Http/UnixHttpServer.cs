using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mooring.Logging;

namespace Mooring.Hosting.Http;

/// <summary>
/// The plugin's HTTP/1.1 server on its unix sockets: the plugin socket dockerd calls and the management socket.
/// </summary>
/// <remarks>
/// <para>The host used Kestrel until December 2026. A plugin speaks one small subset of HTTP to one client over a local
/// socket, and Kestrel was a third of the binary and most of its start-up (docs/footprint.md). This server does only
/// that subset, strictly: <see cref="HttpHeadParser"/> for the head, Content-Length or chunked bodies bounded by the
/// handler's limit, keep-alive and pipelining, and the timeouts of <see cref="HttpServerLimits"/>.</para>
/// <para>Every connection is served by the <see cref="EventLoop"/>: two poller threads on one epoll descriptor, each
/// request answered on the poller that saw it arrive, and a monitor that replaces a poller held by a call that does not
/// return. With <see cref="HttpServerLimits.EventLoopThreads"/> at 0 (tests of the older modes), the first
/// <see cref="HttpServerLimits.MaxConnectionThreads"/> connections each get a thread of their own with blocking socket
/// calls and the rest run asynchronously on the pool (<see cref="HttpConnection"/>). Listeners and connections are
/// <see cref="UnixSocket"/>s, libc calls on a descriptor; only a connection on the pool becomes a System.Net.Sockets
/// socket.</para>
/// <para>One thread of the server's own accepts on every listener and beats the heartbeat: it waits in poll(2) for a
/// connection with the heartbeat interval as the timeout. An idle plugin then runs no thread-pool or timer thread (each
/// costs memory in a plugin that is idle nearly all its life: docs/benchmarks.md, "Idle RSS and start-up").</para>
/// <para>Stopping (<see cref="StopAsync"/>) closes the listeners and the idle connections at once, lets requests in
/// progress finish and answer (with <c>Connection: close</c>), and aborts what is left when the grace period ends.</para>
/// </remarks>
internal sealed class UnixHttpServer
{
    private const int Backlog = 512;

    private readonly List<UnixSocket> _listeners = [];
    private readonly List<bool> _management = [];
    private readonly HashSet<HttpConnection> _connections = [];
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<HttpConnection> _late = [];
    private readonly ManualResetEventSlim _loopExit = new();
    private EventLoop? _loop;
    private bool _loopUnavailable;
    private long _nextId;
    private int _connectionThreads;
    private volatile bool _stopping;

    /// <param name="handler">Answers every request.</param>
    /// <param name="logger">Where connection failures go.</param>
    /// <param name="requestsStop">Cancels every request in progress (the host's hard stop).</param>
    /// <param name="limits">The timeouts; <see cref="HttpServerLimits.Default"/> when null.</param>
    public UnixHttpServer(IHttpHandler handler, ILogger logger, CancellationToken requestsStop, HttpServerLimits? limits = null)
    {
        Handler = handler;
        _logger = logger;
        RequestsStop = requestsStop;
        Limits = limits ?? HttpServerLimits.Default;
    }

    internal IHttpHandler Handler { get; }

    internal HttpServerLimits Limits { get; }

    internal CancellationToken RequestsStop { get; }

    internal bool Stopping => _stopping;

    /// <summary>Binds and listens on <paramref name="path"/> (the caller has cleared the path: <see cref="SocketFile"/>).</summary>
    /// <param name="path">The socket path.</param>
    /// <param name="management">Requests on it are management requests.</param>
    /// <exception cref="IOException">The path cannot be bound.</exception>
    public void Listen(string path, bool management)
    {
        _listeners.Add(UnixSocket.Listen(path, Backlog));
        _management.Add(management);
    }

    /// <summary>Starts accepting on every socket given to <see cref="Listen"/>.</summary>
    public void Start()
    {
        new Thread(static server => ((UnixHttpServer)server!).AcceptAndBeat()) { IsBackground = true, Name = "mooring-accept" }.Start(this);
    }

    // The open connections, copied under the lock (a spread would go through LINQ, kept out of plugin binaries).
    private HttpConnection[] Snapshot()
    {
        var open = new HttpConnection[_connections.Count];
        _connections.CopyTo(open);
        return open;
    }

    /// <summary>Stops accepting, closes idle connections, and waits for requests in progress; when
    /// <paramref name="grace"/> fires, aborts the connections left and waits for their handlers to return.</summary>
    /// <param name="grace">Ends the wait for requests in progress.</param>
    /// <returns>A task that completes when every connection has closed.</returns>
    public async Task StopAsync(CancellationToken grace)
    {
        HttpConnection[] open;
        lock (_connections)
        {
            _stopping = true;
            open = Snapshot();
            if (_connections.Count == 0)
            {
                _drained.TrySetResult();
            }
        }

        foreach (var listener in _listeners)
        {
            listener.Abort(); // wakes the accept thread's poll(2), and closes the listener once it has returned
        }

        foreach (var connection in open)
        {
            connection.CloseIfIdle();
        }

        try
        {
            await _drained.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_connections)
            {
                open = Snapshot();
            }

            foreach (var connection in open)
            {
                connection.Abort();
            }

            await _drained.Task.ConfigureAwait(false);
        }
        finally
        {
            _loopExit.Set(); // the heartbeat ran until every connection was closed or aborted
            EventLoop? loop;
            lock (_connections)
            {
                loop = _loop; // made under this lock (AdmitToLoop)
            }

            loop?.Stop();
        }
    }

    internal void Remove(HttpConnection connection)
    {
        if (connection.Blocking)
        {
            Interlocked.Decrement(ref _connectionThreads);
        }

        lock (_connections)
        {
            if (_connections.Remove(connection) && _stopping && _connections.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    internal void ConnectionFailed(HttpConnection connection, Exception exception) => MooringLog.ConnectionFailed(_logger, exception, connection.Id);

    internal void RequestRefused(HttpConnection connection, HttpRefusal refusal) => MooringLog.RequestRefused(_logger, connection.Id, refusal.StatusCode, refusal.Message);

    // The server's own thread: accepts while listening, and beats the heartbeat until StopAsync has closed every connection.
    private void AcceptAndBeat()
    {
        Span<bool> ready = stackalloc bool[_listeners.Count];
        var nextBeat = NextBeat();
        while (!_loopExit.IsSet)
        {
            var untilBeat = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextBeat);
            if (untilBeat <= TimeSpan.Zero)
            {
                Heartbeat();
                nextBeat = NextBeat();
                continue;
            }

            if (_stopping)
            {
                _loopExit.Wait(untilBeat); // the listeners are closed; only the heartbeat is left to run
                continue;
            }

            // Rounded up: a wait rounded down to 0 ms would spin until the beat.
            if (!UnixSocket.WaitForConnections(_listeners, ready, (int)Math.Clamp(Math.Ceiling(untilBeat.TotalMilliseconds), 1, int.MaxValue)) || _stopping)
            {
                continue; // interrupted, or StopAsync closed the listeners
            }

            for (var i = 0; i < _listeners.Count; i++)
            {
                if (!ready[i])
                {
                    continue;
                }

                // poll(2) said a connection is queued, so this accept returns at once: a unix socket's connection stays
                // in the queue even when its client closes first (accept then returns it, and the read sees the end).
                UnixSocket accepted;
                try
                {
                    accepted = _listeners[i].Accept();
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    AcceptFailed(ex);
                    continue;
                }

                Admit(accepted, _management[i]);
            }
        }
    }

    private long NextBeat() => Stopwatch.GetTimestamp() + (long)(Limits.HeartbeatInterval.TotalSeconds * Stopwatch.Frequency);

    // Out of file descriptors, or a connection reset before it was accepted: the listener itself is fine; a pause keeps
    // a lasting failure from spinning. A listener closed by StopAsync is no failure.
    private void AcceptFailed(Exception exception)
    {
        if (_stopping || exception is ObjectDisposedException)
        {
            return;
        }

        MooringLog.AcceptFailed(_logger, exception.Message);
        _loopExit.Wait(TimeSpan.FromMilliseconds(100));
    }

    private void Admit(UnixSocket accepted, bool management)
    {
        if (Limits.EventLoopThreads > 0 && !_loopUnavailable)
        {
            AdmitToLoop(accepted, management);
            return;
        }

        // A thread of its own for each of the first MaxConnectionThreads connections (dockerd keeps a few); any beyond
        // run on the thread pool, so a client that opens thousands of connections cannot make thousands of threads.
        var blocking = Interlocked.Increment(ref _connectionThreads) <= Limits.MaxConnectionThreads;
        if (!blocking)
        {
            Interlocked.Decrement(ref _connectionThreads);
        }

        HttpConnection connection;
        try
        {
            connection = new HttpConnection(this, accepted, management, Interlocked.Increment(ref _nextId), blocking);
        }
        catch (SocketException ex)
        {
            // Handing the descriptor to a Socket reads its properties from the kernel; a connection that cannot be read
            // is dropped, and the accept loop goes on.
            accepted.Dispose();
            AcceptFailed(ex);
            return;
        }

        lock (_connections)
        {
            if (_stopping)
            {
                connection.Abort(); // closes the socket
                if (blocking)
                {
                    Interlocked.Decrement(ref _connectionThreads);
                }

                return;
            }

            _connections.Add(connection);
        }

        MooringLog.ConnectionOpened(_logger, connection.Id, management ? "management" : "plugin");

        // Either way a handler that blocks holds neither the accept loop nor any other connection.
        if (blocking)
        {
            new Thread(static c => ((HttpConnection)c!).RunOnThisThread()) { IsBackground = true, Name = "mooring-http" }.Start(connection);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.RunAsync(), connection, preferLocal: false);
        }
    }

    // Every connection on the event loop, started lazily by the first (the accept thread is the only caller).
    private void AdmitToLoop(UnixSocket accepted, bool management)
    {
        HttpConnection? connection = null;
        string? unavailable = null;
        bool first;
        lock (_connections)
        {
            if (_stopping)
            {
                accepted.Dispose();
                return;
            }

            // Made under the lock that StopAsync sets _stopping under: a loop is either made before the stop, which then
            // stops it, or not at all (one made after would keep a poller thread for ever).
            first = _loop is null;
            try
            {
                _loop ??= new EventLoop(Limits);
                connection = new HttpConnection(this, accepted, management, Interlocked.Increment(ref _nextId), blocking: false, _loop);
                _connections.Add(connection);
            }
            catch (IOException ex)
            {
                unavailable = ex.Message;
            }
        }

        if (connection is null)
        {
            // Without epoll or the threads for it (a sandbox, a process at its limits), every connection gets a thread
            // of its own instead, as before the loop: slower, but served.
            MooringLog.EventLoopUnavailable(_logger, unavailable!);
            _loopUnavailable = true;
            Admit(accepted, management);
            return;
        }

        MooringLog.ConnectionOpened(_logger, connection.Id, management ? "management" : "plugin");
        connection.StartOnLoop();
        if (first)
        {
            StartLoopRest();
        }
    }

    // The loop's other threads, once its first poller has the first connection. When they cannot start, the loop keeps
    // the connections it has and later ones get threads of their own.
    private void StartLoopRest()
    {
        try
        {
            _loop!.StartRest();
        }
        catch (IOException ex)
        {
            MooringLog.EventLoopUnavailable(_logger, ex.Message);
            _loopUnavailable = true;
        }
    }

    // Closes the connections whose deadline (keep-alive, request or response timeout) has passed.
    private void Heartbeat()
    {
        if (!Monitor.TryEnter(_late))
        {
            return; // the previous beat is still aborting connections
        }

        try
        {
            AbortLate(Stopwatch.GetTimestamp());
        }
        finally
        {
            Monitor.Exit(_late);
        }
    }

    private void AbortLate(long now)
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                if (connection.IsLate(now))
                {
                    _late.Add(connection);
                }
            }
        }

        foreach (var connection in _late)
        {
            connection.Abort();
        }

        _late.Clear();
    }
}
