using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mooring.Tests;

/// <summary>A request the fake server received.</summary>
public sealed record ControlFakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A tiny HTTP server on a unix socket for the ctl tests: it reads one request per connection and lets the test
/// write any bytes back (well-formed, chunked, oversized, slow or nothing at all).</summary>
public sealed class ControlFakeServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ControlFakeRequest, Stream, CancellationToken, Task> _handle;
    private readonly Task _loop;

    public ControlFakeServer(string socketPath, Func<ControlFakeRequest, Stream, CancellationToken, Task> handle)
    {
        SocketPath = socketPath;
        _handle = handle;
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(16);
        _loop = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public ConcurrentQueue<ControlFakeRequest> Requests { get; } = new();

    /// <summary>A server that answers every request with <paramref name="status"/> and a JSON body.</summary>
    public static ControlFakeServer Json(string socketPath, int status, string json) =>
        new(socketPath, (_, stream, ct) => WriteAsync(stream, Response(status, json), ct));

    /// <summary>A complete response with Content-Length.</summary>
    public static string Response(int status, string body, string contentType = "application/json") =>
        $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    public static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var request = await ReadRequestAsync(stream, _stop.Token);
            Requests.Enqueue(request);
            await _handle(request, stream, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (a timeout test) or the server is stopping.
        }
    }

    private static async Task<ControlFakeRequest> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the client closed the connection");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray()).Split("\r\n");
        var first = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(static l => l.Split(':', 2)).ToDictionary(static p => p[0].Trim(), static p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        var body = received.Skip(headEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the client closed the connection");
            }

            body.AddRange(buffer.AsSpan(0, read));
        }

        return new ControlFakeRequest(first[0], first[1], headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
