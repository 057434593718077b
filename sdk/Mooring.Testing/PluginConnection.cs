using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;

namespace Mooring.Testing;

/// <summary>One HTTP/1.1 connection over a unix socket, written and parsed by hand so that the bytes on the wire are
/// exactly what the test says (HttpClient would add, reorder or refuse headers).</summary>
internal sealed class PluginConnection : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private PluginConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Whether the server may still use this connection for another request.</summary>
    public bool Reusable { get; private set; }

    public static async Task<PluginConnection> OpenAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new PluginConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads the response. The request is written while the response is
    /// read, as Go's transport does, so an early answer (e.g. 413 to a huge body) is received even when the server
    /// stops reading and the write fails.</summary>
    public async Task<PluginHttpResponse> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        Reusable = false;
        var write = WriteAsync(request, cancellationToken);
        PluginHttpResponse response;
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

    private async Task<PluginHttpResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("the plugin closed the connection without answering");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"malformed HTTP status line: '{statusLine}'");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the plugin closed the connection in the middle of the response headers");
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new IOException($"malformed HTTP header line: '{line}'");
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
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBodyBytes)
            {
                throw new IOException($"unusable Content-Length '{lengthText}'");
            }

            body = await ReadExactAsync(length, cancellationToken).ConfigureAwait(false);
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

        if (headers.TryGetValue("Content-Encoding", out var encoding) && encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain, cancellationToken).ConfigureAwait(false);
            body = plain.ToArray();
        }

        return new PluginHttpResponse(status, body, headers);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the plugin closed the connection in the middle of a chunked body");
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var sizeText = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || body.Length + size > MaxBodyBytes)
            {
                throw new IOException($"malformed chunk size '{sizeLine}'");
            }

            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactAsync(size, cancellationToken).ConfigureAwait(false));
            if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { Length: 0 })
            {
                throw new IOException("a chunk was not followed by CRLF");
            }
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Count == 0 ? null : throw new IOException("the plugin closed the connection in the middle of a line");
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line.AddRange(span);
                _start = _end;
            }
            else
            {
                line.AddRange(span[..newline]);
                _start += newline + 1;
                if (line.Count > 0 && line[^1] == '\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.Latin1.GetString(line.ToArray());
            }

            if (line.Count > MaxHeaderBytes)
            {
                throw new IOException("response header line too long");
            }
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
                throw new IOException($"the plugin closed the connection after {filled} of {count} body bytes");
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
            if (body.Length > MaxBodyBytes)
            {
                throw new IOException("response body too large");
            }
        }
        while (await FillAsync(cancellationToken).ConfigureAwait(false));

        return body.ToArray();
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
