using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Mooring.Hosting.Http;

namespace Mooring.Hosting.Control;

/// <summary>One HTTP/1.1 connection over a unix socket, written and parsed by hand.</summary>
/// <remarks>
/// Shared by the <c>ctl</c> client (management socket, Docker API) and Mooring.Testing's dockerd-like client. Not
/// <c>HttpClient</c>: it adds megabytes to every NativeAOT plugin binary, and the tests need the bytes on the wire to be
/// exactly what they say. Everything read is bounded (header block, body), because the other end is not trusted to be
/// well-behaved; a deadline is the caller's cancellation token.
/// </remarks>
internal sealed class UnixHttpConnection : IAsyncDisposable, IReceiveBuffer
{
    /// <summary>The largest body read unless the caller says otherwise.</summary>
    public const int DefaultMaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>The largest status line plus header block (chunk-size lines and trailers have ChunkedBody's limits).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly int _maxBodyBytes;
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;
    private CancellationToken _receiveCancellation; // the exchange's, for ReceiveAsync

    private UnixHttpConnection(Socket socket, int maxBodyBytes)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _maxBodyBytes = maxBodyBytes;
    }

    /// <summary>Whether the server may still use this connection for another request.</summary>
    public bool Reusable { get; private set; }

    /// <summary>Connects to <paramref name="socketPath"/>.</summary>
    /// <param name="socketPath">The unix socket.</param>
    /// <param name="maxBodyBytes">The largest response body accepted.</param>
    /// <param name="cancellationToken">Abandons the connect.</param>
    /// <returns>The open connection.</returns>
    /// <exception cref="SocketException">The socket does not exist, refuses the connection or is not accessible.</exception>
    public static async Task<UnixHttpConnection> OpenAsync(string socketPath, int maxBodyBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBodyBytes);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string? shortcut = null;
        try
        {
            if (Encoding.UTF8.GetByteCount(socketPath) > SocketFile.MaxPathBytes)
            {
                // A managed plugin's sockets are /run/docker/plugins/<64-hex id>/<name> on the host: with a 22-byte plugin
                // socket name the management socket's path is longer than a unix address may be. connect() follows
                // symbolic links, so a short link to the socket reaches it; it is removed as soon as the connection is made.
                shortcut = Path.Combine(Path.GetTempPath(), "mooring-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
                File.CreateSymbolicLink(shortcut, socketPath);
            }

            await socket.ConnectAsync(new UnixDomainSocketEndPoint(shortcut ?? socketPath), cancellationToken).ConfigureAwait(false);
            return new UnixHttpConnection(socket, maxBodyBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            if (shortcut is not null)
            {
                File.Delete(shortcut);
            }
        }
    }

    /// <summary>Sends <paramref name="request"/> (request line, headers and body, verbatim) and reads the response. The
    /// request is written while the response is read, as Go's transport does, so an early answer (e.g. 413 to a huge
    /// body) is received even when the server stops reading and the write fails.</summary>
    /// <param name="request">The complete request.</param>
    /// <param name="cancellationToken">Abandons the exchange (the caller should then dispose the connection).</param>
    /// <returns>The response.</returns>
    /// <exception cref="IOException">The answer is malformed, too large, or the connection closed early.</exception>
    public async Task<UnixHttpResponse> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        Reusable = false;
        var write = WriteAsync(request, cancellationToken);
        UnixHttpResponse response;
        try
        {
            response = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Reusable = false; // the server answered before it read the whole body
        }

        return response;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Shutdown sends FIN, which is how the server learns that a client went away mid-request.
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        return _stream.DisposeAsync();
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        await _stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<UnixHttpResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var budget = new HeaderBudget();
        var statusLine = await ReadLineAsync(budget, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("the server closed the connection without answering");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"malformed HTTP status line: '{TerminalText.Escape(statusLine, 100)}'");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var line = await ReadLineAsync(budget, cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the server closed the connection in the middle of the response headers");
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new IOException($"malformed HTTP header line: '{TerminalText.Escape(line, 100)}'");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? $"{existing}, {value}" : value;
        }

        byte[] body;
        var closes = headers.TryGetValue("Connection", out var connection) && connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        if (headers.TryGetValue("Transfer-Encoding", out var transfer) && transfer.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(cancellationToken).ConfigureAwait(false);
            Reusable = !closes;
        }
        else if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new IOException($"unusable Content-Length '{TerminalText.Escape(lengthText, 40)}'");
            }

            if (length > _maxBodyBytes)
            {
                throw TooLarge();
            }

            body = await ReadExactAsync((int)length, cancellationToken).ConfigureAwait(false);
            Reusable = !closes;
        }
        else if (status is 204 or 304 or (>= 100 and < 200))
        {
            body = [];
            Reusable = !closes;
        }
        else
        {
            body = await ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        return new UnixHttpResponse(status, body, headers);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        _receiveCancellation = cancellationToken;
        var chunked = await ChunkedBody.ReadAsync(this, _maxBodyBytes).ConfigureAwait(false);
        return chunked.Body ?? throw (chunked.IsTooLarge ? TooLarge()
            : chunked.Problem is { } problem ? new IOException($"malformed chunked body: {problem}")
            : new IOException("the server closed the connection in the middle of a chunked body"));
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <inheritdoc />
    public void Consume(int count) => _start += count;

    /// <inheritdoc />
    public ValueTask<bool> ReceiveAsync() => new(FillAsync(_receiveCancellation));

    private async Task<string?> ReadLineAsync(HeaderBudget budget, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Count == 0 ? null : throw new IOException("the server closed the connection in the middle of a line");
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var taken = newline < 0 ? span : span[..newline];
            budget.Used += taken.Length + (newline < 0 ? 0 : 1);
            if (budget.Used > MaxHeaderBytes)
            {
                throw new IOException($"the response headers exceed {MaxHeaderBytes} bytes");
            }

            line.AddRange(taken);
            if (newline < 0)
            {
                _start = _end;
                continue;
            }

            _start += newline + 1;
            if (line.Count > 0 && line[^1] == '\r')
            {
                line.RemoveAt(line.Count - 1);
            }

            return Encoding.Latin1.GetString(line.ToArray());
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"the server closed the connection after {filled} of {count} body bytes");
            }

            var take = Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(filled));
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
            if (body.Length > _maxBodyBytes)
            {
                throw TooLarge();
            }
        }
        while (await FillAsync(cancellationToken).ConfigureAwait(false));

        return body.ToArray();
    }

    // Receives after the unread bytes, moving them to the front or growing the buffer when it is full. ChunkedBody bounds
    // what it lets accumulate (a chunk-size line, the trailers), so the buffer stays small.
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = unread == _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
            _buffer.AsSpan(_start, unread).CopyTo(target);
            (_buffer, _start, _end) = (target, 0, unread);
        }

        var received = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += received;
        return received > 0;
    }

    private IOException TooLarge() => new($"the response body exceeds the limit of {_maxBodyBytes} bytes");

    // The bytes read so far for one header block (status line and headers, or trailers, or one chunk-size line).
    private sealed class HeaderBudget
    {
        public int Used { get; set; }
    }
}
