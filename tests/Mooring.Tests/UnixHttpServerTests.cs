using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting.Http;
using Mooring.Hosting.Metadata;
using Mooring.TestFixtures;

namespace Mooring.Tests;

/// <summary>Every test of <see cref="UnixHttpServerTests"/> on the event loop, the default (two pollers).</summary>
public sealed class UnixHttpServerLoopTests() : UnixHttpServerTests(connectionThreads: 64, loopThreads: 2);

/// <summary>Every test of <see cref="UnixHttpServerTests"/> with connections on threads of their own (two, so that a
/// third connection runs on the thread pool).</summary>
public sealed class UnixHttpServerThreadTests() : UnixHttpServerTests(connectionThreads: 2, loopThreads: 0);

/// <summary>Every test of <see cref="UnixHttpServerTests"/> with every connection on the thread pool.</summary>
public sealed class UnixHttpServerPoolTests() : UnixHttpServerTests(connectionThreads: 0, loopThreads: 0);

/// <summary>The plugin's own HTTP/1.1 server, driven with raw bytes: framing, pipelining, timeouts, stop, and
/// hostile clients. (The host's behaviour through it is in ErrorPathTests and HostLifecycleTests.)</summary>
public abstract class UnixHttpServerTests(int connectionThreads, int loopThreads) : IAsyncLifetime
{
    private readonly HttpServerLimits _limits = new()
    {
        RequestTimeout = TimeSpan.FromMilliseconds(400),
        KeepAliveTimeout = TimeSpan.FromMilliseconds(400),
        ResponseTimeout = TimeSpan.FromMilliseconds(400),
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        MaxConnectionThreads = connectionThreads,
        EventLoopThreads = loopThreads,
    };

    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly EchoHandler _handler = new();
    private UnixHttpServer _server = null!;

    private string SocketPath => _temp.Combine("http.sock");

    public Task InitializeAsync()
    {
        _server = new UnixHttpServer(_handler, NullLogger.Instance, _hardStop.Token, _limits);
        _server.Listen(SocketPath, management: false);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _handler.Release.TrySetResult();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _server.StopAsync(grace.Token);
        _hardStop.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order_on_one_connection()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Post("/one", "a") + Post("/two", "bb") + Post("/three", "", close: true));
        var answers = Split(await ReadToEndAsync(socket));
        Assert.Equal(3, answers.Count);
        Assert.EndsWith("POST /one a", answers[0], StringComparison.Ordinal);
        Assert.EndsWith("POST /two bb", answers[1], StringComparison.Ordinal);
        Assert.Contains("Connection: close", answers[2], StringComparison.Ordinal);
        Assert.EndsWith("POST /three ", answers[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answer_to_HEAD_has_no_body_and_the_connection_goes_on()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n" + Post("/next", "n", close: true));
        var answers = Split(await ReadToEndAsync(socket));
        Assert.Equal(2, answers.Count);
        Assert.Contains("Content-Length: 8\r\n", answers[0], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", answers[0], StringComparison.Ordinal);
        Assert.EndsWith("POST /next n", answers[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_that_arrives_byte_by_byte_is_read()
    {
        using var socket = await ConnectAsync();
        foreach (var b in Encoding.ASCII.GetBytes(Post("/slowly", "xyz", close: true)))
        {
            await socket.SendAsync(new[] { b });
        }

        Assert.EndsWith("POST /slowly xyz", await ReadToEndAsync(socket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heads_and_answers_larger_than_a_connections_first_buffers_go_through_and_the_connection_goes_on()
    {
        // The receive buffer starts at 4 KiB and grows up to the head limit; the answer buffer starts at 1 KiB and a
        // grown one is kept for the connection's later answers. The path is echoed, so a long path is a long answer.
        using var socket = await ConnectAsync();
        var padding = $"X-Padding: {new string('p', 10_000)}\r\n";
        var path = "/" + new string('a', 3_000);
        string Padded(string request) => request.Replace("Host: x\r\n", "Host: x\r\n" + padding, StringComparison.Ordinal);
        await SendAsync(socket, Padded(Post(path, "one")) + Padded(Post(path + "b", "two")) + Post("/after", "3", close: true));

        var answers = Split(await ReadToEndAsync(socket));
        Assert.Equal(3, answers.Count);
        Assert.EndsWith($"POST {path} one", answers[0], StringComparison.Ordinal);
        Assert.EndsWith($"POST {path}b two", answers[1], StringComparison.Ordinal);
        Assert.EndsWith("POST /after 3", answers[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_before_the_body_is_sent()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
        var buffer = new byte[256];
        var read = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", Encoding.ASCII.GetString(buffer, 0, read));
        await SendAsync(socket, "abc");
        Assert.EndsWith("POST /e abc", await ReadToEndAsync(socket), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /stalled HTTP/1.1\r\nHo")]
    [InlineData("POST /stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")]
    public async Task A_client_that_stops_in_the_middle_of_its_head_or_body_is_disconnected_after_the_request_timeout(string partial)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, partial);
        Assert.Equal("", await ReadToEndAsync(socket));
        Assert.Equal(0, _handler.Calls);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_keep_alive_timeout()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Post("/idle", ""));
        Assert.EndsWith("POST /idle ", await ReadToEndAsync(socket), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n", "a chunk size is not hexadecimal")]
    [InlineData("3\r\nabcXX0\r\n\r\n", "a chunk is not followed by CRLF")]
    [InlineData("3;ext=\u0001\r\nabc\r\n0\r\n\r\n", "a chunk size is not hexadecimal")]
    [InlineData("fffffffffffffffff\r\n", "a chunk size is not hexadecimal")]
    public async Task A_malformed_chunked_body_gets_400_and_the_connection_closes(string chunks, string problem)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + Post("/after", ""));
        var answers = Split(await ReadToEndAsync(socket));
        var answer = Assert.Single(answers);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
        Assert.Contains(problem, answer, StringComparison.Ordinal);
        Assert.Equal(0, _handler.Calls);
    }

    [Fact]
    public async Task A_chunked_body_with_extensions_and_trailers_is_read()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2;name=value\r\nab\r\n1\r\nc\r\n0\r\nX-Trailer: t\r\n\r\n");
        Assert.EndsWith("POST /c abc", await ReadToEndAsync(socket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_going_away_cancels_the_request_in_progress()
    {
        var socket = await ConnectAsync();
        await SendAsync(socket, Post("/wait", ""));
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        socket.Dispose();
        Assert.True(await _handler.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stop_closes_idle_connections_at_once_and_lets_a_request_in_progress_answer_with_Connection_close()
    {
        using var idle = await ConnectAsync();
        await SendAsync(idle, Post("/first", ""));
        await ReceiveSomeAsync(idle);
        using var busy = await ConnectAsync();
        await SendAsync(busy, Post("/wait", ""));
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stop = _server.StopAsync(grace.Token);
        Assert.Equal("", await ReadToEndAsync(idle));
        Assert.False(stop.IsCompleted);
        Assert.False(File.Exists(SocketPath) && UnixSockets.CanConnect(SocketPath));

        _handler.Release.TrySetResult();
        var answer = await ReadToEndAsync(busy);
        Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
        Assert.EndsWith("POST /wait ", answer, StringComparison.Ordinal);
        await stop.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stop_aborts_a_request_still_running_when_the_grace_period_ends()
    {
        using var busy = await ConnectAsync();
        await SendAsync(busy, Post("/wait", ""));
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        using var grace = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stop = _server.StopAsync(grace.Token);
        Assert.True(await _handler.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await stop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("", await ReadToEndAsync(busy));
    }

    [Fact]
    public async Task Random_bytes_get_an_answer_or_a_closed_connection_and_the_server_goes_on()
    {
        var random = new Random(7);
        var alphabet = Encoding.Latin1.GetBytes("POST /x HTTP/1.1\r\nHost: \r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc0;\u0000\u00ff");
        for (var i = 0; i < 100; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = random.Next(5) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            using var socket = await ConnectAsync();
            await socket.SendAsync(bytes);
            socket.Shutdown(SocketShutdown.Send);
            var text = await ReadToEndAsync(socket);
            Assert.True(text.Length == 0 || text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), text);
        }

        using var check = await ConnectAsync();
        await SendAsync(check, Post("/still", "ok", close: true));
        Assert.EndsWith("POST /still ok", await ReadToEndAsync(check), StringComparison.Ordinal);
    }

    private static string Post(string path, string body, bool close = false) =>
        $"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n{body}";

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.Latin1.GetBytes(text));

    private static async Task ReceiveSomeAsync(Socket socket) => await socket.ReceiveAsync(new byte[4096]).WaitAsync(TimeSpan.FromSeconds(5));

    // Everything until the server closes the connection (bounded: a server that never closes fails the test).
    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        try
        {
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset by the server: what arrived before counts.
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static List<string> Split(string responses) =>
        [.. responses.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries).Select(r => "HTTP/1.1 " + r)];

    // Answers "METHOD PATH BODY"; "/wait" waits for Release or for its cancellation.
    private sealed class EchoHandler : IHttpHandler
    {
        private int _calls;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public long MaxBodySize(bool management) => 1000;

        public async ValueTask<HttpAnswer?> HandleAsync(HttpExchange exchange)
        {
            Interlocked.Increment(ref _calls);
            if (exchange.Path == "/wait")
            {
                Started.TrySetResult();
                try
                {
                    await Release.Task.WaitAsync(exchange.Aborted);
                }
                catch (OperationCanceledException)
                {
                    Cancelled.TrySetResult(true);
                    return null;
                }
            }

            var text = $"{exchange.Method} {exchange.Path} {Encoding.UTF8.GetString(exchange.Body.Span)}";
            return new HttpAnswer(new PluginResponse(200, Encoding.UTF8.GetBytes(text)), "text/plain");
        }

        public HttpAnswer Refuse(HttpRefusal refusal, bool management) =>
            new(new PluginResponse(refusal.StatusCode, Encoding.UTF8.GetBytes(refusal.Message)), "text/plain");
    }
}
