using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Mooring.Hosting.Http;

/// <summary>
/// One accepted connection: reads requests one after another (keep-alive and pipelining), hands each to the handler
/// with its body read whole, and writes the answers in order.
/// </summary>
/// <remarks>
/// <para>Three ways to run, one request loop. By default the server's <see cref="EventLoop"/> serves every connection:
/// the poller that sees it readable runs this loop inline until a receive finds nothing more, then the connection arms
/// itself again (HttpConnection.OnLoop.cs). With <see cref="HttpServerLimits.EventLoopThreads"/> at 0, a connection
/// with a thread of its own (<see cref="Blocking"/>, the first
/// <see cref="HttpServerLimits.MaxConnectionThreads"/> connections) receives and sends with blocking calls, so every
/// await in the loop completes at once and a request is read, answered and written on that thread without a hop to the
/// thread pool: Go's goroutine per connection, and about ×1.4 the throughput of the pooled mode (docs/benchmarks.md). A
/// driver call that blocks holds its own connection's thread and nobody else's; dockerd opens another connection for a
/// concurrent call. Connections beyond that number run the same loop asynchronously on the thread pool.</para>
/// <para>While the handler runs, the connection watches for the client going away: end of stream means dockerd gave
/// up on the call, which cancels <see cref="HttpExchange.Aborted"/>. Asynchronously, one receive stays posted; its bytes,
/// if any, are the next request's and are kept. On the loop, the socket is armed for the peer's hang-up. On a thread of
/// its own, the connection polls the socket every
/// <see cref="WatchInterval"/> while it waits for the answer. A handler that answers synchronously (an in-memory
/// driver) is not watched.</para>
/// </remarks>
internal sealed partial class HttpConnection : IReceiveBuffer
{
    private const int InitialBufferBytes = 4096;

    // A head may be MaxHeadBytes; the buffer also holds what follows it in the same receive.
    private const int MaxBufferBytes = HttpHeadParser.MaxHeadBytes + 8192;

    // An answer up to this size goes out in one send with its head; a larger one in two.
    private const int MaxCoalescedBytes = 64 * 1024;

    // A grown answer buffer up to this size is kept for the connection's later answers.
    private const int KeptOutputBytes = 8192;

    // How often a connection on a thread of its own checks that its client is still there while a handler runs.
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    private const int Idle = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    private readonly UnixHttpServer _server;
    // Blocking: the descriptor, called straight through libc. Asynchronous: the same descriptor handed to a Socket.
    private readonly UnixSocket? _threaded;
    private readonly Socket? _pooled;
    private readonly CancellationTokenSource _aborted;
    private readonly AsciiStringCache _paths = new();

    // The connection's buffers live on the pinned object heap. A connection spends most of its life in recv(2) or
    // send(2) with its buffer pinned, and pinned arrays among the young generation's objects keep the GC from
    // compacting around them: the free space between them stays committed (bench/results/2026-12-03-pinned-buffers/).
    private byte[] _buffer = Pinned(InitialBufferBytes);
    private byte[] _output = Pinned(1024);
    private int _start;
    private int _end;
    private int _state;
    private long _deadline = long.MaxValue;
    private ValueTask<int> _watch;
    private bool _watching;

    /// <param name="server">The server that accepted it.</param>
    /// <param name="socket">The accepted socket.</param>
    /// <param name="management">Accepted on the management socket.</param>
    /// <param name="id">The connection's number, for logs and the loop.</param>
    /// <param name="blocking">On a thread of its own (when <paramref name="loop"/> is null).</param>
    /// <param name="loop">The event loop that serves it, if any (<see cref="HttpServerLimits.EventLoopThreads"/>).</param>
    public HttpConnection(UnixHttpServer server, UnixSocket socket, bool management, long id, bool blocking, EventLoop? loop = null)
    {
        _server = server;
        _loop = loop;
        if (loop is not null || blocking)
        {
            _threaded = socket;
        }
        else
        {
            _pooled = socket.ToSocket();
        }

        Management = management;
        Id = id;
        Blocking = blocking;
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(server.RequestsStop);
    }

    /// <summary>The connection's number, for logs.</summary>
    public long Id { get; }

    /// <summary>Accepted on the management socket.</summary>
    public bool Management { get; }

    /// <summary>Runs on a thread of its own with blocking socket calls (<see cref="RunOnThisThread"/>).</summary>
    public bool Blocking { get; }

    /// <summary>Serves the connection on the calling thread, which it blocks until the connection ends.</summary>
    public void RunOnThisThread() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Serves the connection until the client closes it, it breaks, or the server stops.</summary>
    public async Task RunAsync()
    {
        try
        {
            while (await ServeOneAsync().ConfigureAwait(false))
            {
            }
        }
#pragma warning disable CA1031 // a connection that fails is closed; the plugin and its other connections go on
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            if (ex is not (SocketException or ObjectDisposedException or IOException))
            {
                _server.ConnectionFailed(this, ex);
            }
        }
        finally
        {
            Abort();
            _server.Remove(this);

            // Unregisters from the host's hard stop, which would otherwise hold every connection ever accepted.
            _aborted.Dispose();
            _loop?.Remove(this);
        }
    }

    /// <summary>Closes the connection if it is between requests; a request in progress finishes first (its answer
    /// then says <c>Connection: close</c>).</summary>
    public void CloseIfIdle()
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Idle) == Idle)
        {
            Abort();
        }
    }

    /// <summary>Whether the connection's deadline (keep-alive, request or response timeout) has passed.</summary>
    /// <param name="now">A <see cref="Stopwatch"/> timestamp.</param>
    /// <returns>True when the server should abort it.</returns>
    public bool IsLate(long now) => now > Volatile.Read(ref _deadline);

    /// <summary>Cancels the request in progress and closes the socket.</summary>
    public void Abort()
    {
        Volatile.Write(ref _state, Closed);
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection has already ended (a stop that listed it before it was removed).
        }
#pragma warning disable CA1031 // a throwing cancellation callback belongs to a driver; closing must go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _server.ConnectionFailed(this, ex);
        }

        // Also wakes a connection thread blocked in a receive or send on this socket (the timeout and stop tests of
        // UnixHttpServerThreadTests rely on it): UnixSocket.Abort shuts it down first, as .NET's Dispose does.
        _threaded?.Abort();
        _pooled?.Dispose();
        if (_loop is not null)
        {
            WakeAborted();
        }
    }

    // One request and its answer. False when the connection is done. The async methods a request goes through are
    // pooled: each awaits a receive or a send, and an unpooled ValueTask state machine would be an allocation per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ServeOneAsync()
    {
        if (_start == _end)
        {
            // Between requests: the server may close the connection now, and the client has KeepAliveTimeout to go on.
            if (Interlocked.CompareExchange(ref _state, Idle, Busy) == Closed || _server.Stopping)
            {
                return false;
            }

            SetDeadline(_server.Limits.KeepAliveTimeout);
            if (!await ReceiveAsync().ConfigureAwait(false))
            {
                return false;
            }
        }

        if (Interlocked.CompareExchange(ref _state, Busy, Idle) == Closed)
        {
            return false;
        }

        SetDeadline(_server.Limits.RequestTimeout);
        HttpRequestHead head;
        HttpRefusal refusal;
        while (true)
        {
            var status = HttpHeadParser.TryParse(_buffer.AsSpan(_start, _end - _start), _paths, out head, out refusal);
            if (status == HttpParseStatus.Complete)
            {
                break;
            }

            if (status == HttpParseStatus.Invalid)
            {
                await RefuseAsync(refusal).ConfigureAwait(false);
                return false;
            }

            if (!await ReceiveAsync().ConfigureAwait(false))
            {
                return false;
            }
        }

        _start += head.Length;
        var limit = _server.Handler.MaxBodySize(Management);
        var body = ReadOnlyMemory<byte>.Empty;
        if (head.ContentLength is { } length)
        {
            if (length > limit || length > Array.MaxLength)
            {
                await RefuseAsync(HttpRefusal.TooLarge(limit)).ConfigureAwait(false);
                return false;
            }

            if (length > 0)
            {
                if (head.ExpectContinue && _end - _start < length)
                {
                    await SendAsync(HttpResponseHead.Continue).ConfigureAwait(false);
                }

                var fixedBody = await ReadFixedAsync((int)length).ConfigureAwait(false);
                if (fixedBody is null)
                {
                    return false;
                }

                body = fixedBody;
            }
        }
        else if (head.Chunked)
        {
            if (head.ExpectContinue && _start == _end)
            {
                await SendAsync(HttpResponseHead.Continue).ConfigureAwait(false);
            }

            var chunked = await ChunkedBody.ReadAsync(this, limit).ConfigureAwait(false);
            if (chunked.Problem is not null || chunked.IsTooLarge)
            {
                await RefuseAsync(chunked.IsTooLarge ? HttpRefusal.TooLarge(limit) : new(400, $"bad request: malformed chunked body: {chunked.Problem}")).ConfigureAwait(false);
                return false;
            }

            if (chunked.Body is null)
            {
                return false;
            }

            body = chunked.Body;
        }

        // The handler may take as long as the driver needs; dockerd bounds its own calls.
        SetDeadline(Timeout.InfiniteTimeSpan);
        var pending = _server.Handler.HandleAsync(new HttpExchange(head.Method, head.Path, body, Management, _aborted.Token, OwnThread: Blocking || _loop is not null));
        HttpAnswer? answer;
        if (pending.IsCompleted)
        {
            answer = pending.Result;
        }
        else if (Blocking)
        {
            answer = WaitWatching(pending.AsTask());
        }
        else if (_loop is not null)
        {
            answer = await AwaitWatchingOnLoopAsync(pending).ConfigureAwait(false);
        }
        else
        {
            if (_start == _end)
            {
                // With bytes of a pipelined request already buffered there is nothing to watch for; without, the watch
                // is also the first receive of the next request (ReceiveAsync takes it), so it never competes with another.
                StartWatching();
            }

            answer = await pending.ConfigureAwait(false);
        }

        if (answer is null)
        {
            return false; // the client went away: nobody to answer
        }

        var close = !head.KeepAlive || _server.Stopping;
        SetDeadline(_server.Limits.ResponseTimeout);
        await WriteAsync(answer.Value, close, headOnly: head.Method == "HEAD").ConfigureAwait(false);
        _answered = _loop is not null;
        return !close;
    }

    /// <summary>Receives more bytes into the buffer after <c>_end</c>. False at end of stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReceiveAsync()
    {
        int received;
        if (_watching)
        {
            // The receive posted while the handler ran is this one.
            _watching = false;
            received = await _watch.ConfigureAwait(false);
        }
        else
        {
            MakeRoom();
            received = await ReceiveIntoAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
        }

        _end += received;
        return received > 0;
    }

    /// <summary>The unread bytes in the buffer.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Marks <paramref name="count"/> buffered bytes as read.</summary>
    public void Consume(int count) => _start += count;

    // On a thread of its own: waits for the handler, checking between waits whether the client has closed the connection
    // (readable with nothing to read), which aborts it and so cancels the handler's token.
    private HttpAnswer? WaitWatching(Task<HttpAnswer?> pending)
    {
        while (!((IAsyncResult)pending).AsyncWaitHandle.WaitOne(WatchInterval))
        {
            if (_start == _end && Volatile.Read(ref _state) != Closed && _threaded!.PeerClosed())
            {
                Abort();
            }
        }

        return pending.GetAwaiter().GetResult();
    }

    private void StartWatching()
    {
        MakeRoom();
        if (_end < _buffer.Length)
        {
            _watch = WatchAsync(_buffer.AsMemory(_end));
            _watching = true;
        }
    }

    // Ends with 0 when the client closed the connection or it broke, and then cancels the request in progress.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WatchAsync(Memory<byte> into)
    {
        int received;
        try
        {
            received = await _pooled!.ReceiveAsync(into, SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            received = 0;
        }

        if (received == 0)
        {
            Abort();
        }

        return received;
    }

    // Moves unread bytes to the front, and grows the buffer (up to MaxBufferBytes) when it is full.
    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length && _buffer.Length < MaxBufferBytes)
        {
            var grown = Pinned(Math.Min(_buffer.Length * 2, MaxBufferBytes));
            _buffer.AsSpan(0, _end).CopyTo(grown);
            _buffer = grown;
        }
    }

    // A Content-Length body: what is buffered, then the rest received straight into the body. Null at end of stream.
    private async ValueTask<byte[]?> ReadFixedAsync(int length)
    {
        var body = new byte[length];
        var taken = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, taken).CopyTo(body);
        _start += taken;
        while (taken < length)
        {
            var received = await ReceiveIntoAsync(body.AsMemory(taken)).ConfigureAwait(false);
            if (received == 0)
            {
                return null;
            }

            taken += received;
        }

        return body;
    }

    private async ValueTask RefuseAsync(HttpRefusal refusal)
    {
        _server.RequestRefused(this, refusal);
        SetDeadline(_server.Limits.ResponseTimeout);
        await WriteAsync(_server.Handler.Refuse(refusal, Management), close: true).ConfigureAwait(false);
    }

    // headOnly: the answer to HEAD, whose Content-Length describes a body that is not sent (RFC 9110 9.3.2).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(HttpAnswer answer, bool close, bool headOnly = false)
    {
        var body = headOnly ? ReadOnlyMemory<byte>.Empty : answer.Response.Body;
        var headBytes = HttpResponseHead.MaxLength(answer);
        if (headBytes + body.Length <= MaxCoalescedBytes)
        {
            var output = _output.Length >= headBytes + body.Length ? _output
                : headBytes + body.Length <= KeptOutputBytes ? Pinned(headBytes + body.Length) : new byte[headBytes + body.Length];
            var written = HttpResponseHead.Write(answer, close, output);
            body.Span.CopyTo(output.AsSpan(written));
            await SendAsync(output.AsMemory(0, written + body.Length)).ConfigureAwait(false);
            if (output.Length <= KeptOutputBytes)
            {
                _output = output; // keep a grown buffer unless it is large
            }
        }
        else
        {
            var head = new byte[headBytes];
            var written = HttpResponseHead.Write(answer, close, head);
            await SendAsync(head.AsMemory(0, written)).ConfigureAwait(false);
            await SendAsync(body).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            // On the loop a send waits too: answers are small, and a client that does not take its answer holds only
            // this thread, which the loop replaces (EventLoop).
            var sent = _threaded is not null ? _threaded.Send(data.Span) : await _pooled!.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    // The one receive of every mode: a blocking call on a thread of its own (completes at once), a receive that waits
    // for the loop's event, or an asynchronous one on the pool.
    private ValueTask<int> ReceiveIntoAsync(Memory<byte> into) =>
        Blocking ? new(_threaded!.Receive(into.Span)) : _loop is not null ? ReceiveOnLoopAsync(into) : _pooled!.ReceiveAsync(into, SocketFlags.None);

    private void SetDeadline(TimeSpan timeout) =>
        Volatile.Write(ref _deadline, timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));

    private static byte[] Pinned(int length) => GC.AllocateUninitializedArray<byte>(length, pinned: true);
}
