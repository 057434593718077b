using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Mooring.TestFixtures;

namespace Mooring.Tests;

/// <summary>The ctl client's raw HTTP over a unix socket against servers that misbehave: every failure is exit 3 with
/// the socket named, never a hang or a crash.</summary>
public sealed class ControlHttpTests : IDisposable
{
    private const string Health = """{"status":"ready","version":"1","uptimeSeconds":1,"driver":"D","model":"managed"}""";

    private readonly TempDirectory _directory = new();

    private string Socket => _directory.Combine("acme.ctl.sock");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(20_000)] // trailers longer than the client's first 8 KiB buffer: it grows
    public async Task A_chunked_answer_is_reassembled(int trailerLength)
    {
        var chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10;ext=1\r\n" + Health[..16] + "\r\n"
            + $"{Health.Length - 16:x}\r\n" + Health[16..] + "\r\n"
            + $"0\r\nX-Trailer: {new string('t', trailerLength)}\r\n\r\n";
        await using var server = Serve(chunked);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "--json", "health"]);

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("\"driver\": \"D\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_without_a_length_is_read_to_the_end_of_the_connection()
    {
        await using var server = Serve("HTTP/1.1 200 OK\r\n\r\n" + Health);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("ready", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 17000000\r\n\r\n", "the response body exceeds the limit of 16777216 bytes")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000001\r\n", "the response body exceeds the limit of 16777216 bytes")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n", "the response body exceeds the limit of 16777216 bytes")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "malformed chunked body: a chunk size is not hexadecimal")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", "malformed chunked body: a chunk is not followed by CRLF")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}", "the server closed the connection in the middle of a chunked body")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "unusable Content-Length '-1'")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}", "the server closed the connection after 2 of 100 body bytes")]
    [InlineData("SSH-2.0-OpenSSH\u001b[2J\r\n\r\n", "malformed HTTP status line: 'SSH-2.0-OpenSSH\\x1b[2J'")]
    [InlineData("", "the server closed the connection without answering")]
    public async Task A_malformed_or_oversized_answer_exits_3_naming_the_socket(string answer, string reason)
    {
        await using var server = Serve(answer);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: cannot talk to the plugin at {Socket}: {reason}" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_without_a_length_is_cut_off()
    {
        var megabyte = new string('x', 1024 * 1024);
        await using var server = new ControlFakeServer(Socket, async (_, stream, ct) =>
        {
            await ControlFakeServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\n\r\n", ct);
            for (var i = 0; i < 20; i++)
            {
                await ControlFakeServer.WriteAsync(stream, megabyte, ct);
            }
        });
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the response body exceeds the limit of 16777216 bytes", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endless_headers_are_cut_off()
    {
        var header = "X-Filler: " + new string('y', 1000) + "\r\n";
        await using var server = new ControlFakeServer(Socket, async (_, stream, ct) =>
        {
            await ControlFakeServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\n", ct);
            for (var i = 0; i < 200; i++)
            {
                await ControlFakeServer.WriteAsync(stream, header, ct);
            }
        });
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the response headers exceed 65536 bytes", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_plugin_times_out()
    {
        await using var server = new ControlFakeServer(Socket, (_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        var clock = Stopwatch.StartNew();
        var run = await ControlRunner.RunAsync(["--socket", Socket, "--timeout", "0.5", "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: the plugin at {Socket} did not answer GET /health within 0.5 s" + Environment.NewLine, run.Err);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_plugin_that_trickles_its_answer_times_out_on_the_whole_exchange()
    {
        // One byte every 100 ms keeps every single read short; only a deadline on the whole exchange ends it.
        await using var server = new ControlFakeServer(Socket, async (_, stream, ct) =>
        {
            await ControlFakeServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\n", ct);
            while (true)
            {
                await ControlFakeServer.WriteAsync(stream, "X", ct);
                await Task.Delay(100, ct);
            }
        });
        var run = await ControlRunner.RunAsync(["--socket", Socket, "--timeout", "1", "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("did not answer GET /health within 1 s", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_exits_3_naming_the_socket()
    {
        // A socket file nobody listens on (a plugin that died): connecting gives ECONNREFUSED. Moved away from the
        // bound path, because disposing a bound socket deletes its file.
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(Socket + ".tmp"));
            File.Move(Socket + ".tmp", Socket);
        }

        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: cannot reach the plugin at {Socket}: connection refused (nothing listens on it: is the plugin enabled, and is this its socket?)" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task A_socket_path_longer_than_a_unix_address_is_still_reached()
    {
        // A managed plugin's management socket is /run/docker/plugins/<64-hex id>/<name>.ctl.sock on the host, which
        // passes 107 bytes for the longer socket names. Bound at a short path, then moved: the listener keeps it.
        await using var server = ControlFakeServer.Json(Socket, 200, Health);
        var deep = Path.Combine(_directory.Path, new string('d', 60), new string('e', 60));
        Directory.CreateDirectory(deep);
        var far = Path.Combine(deep, "acme.ctl.sock");
        File.Move(Socket, far);
        Assert.True(Encoding.UTF8.GetByteCount(far) > 107);

        var run = await ControlRunner.RunAsync(["--socket", far, "--json", "health"]);

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("\"driver\": \"D\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_socket_exits_3_naming_the_socket()
    {
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: cannot reach the plugin at {Socket}: the socket does not exist (is the plugin enabled, and is this its socket?)" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task The_request_is_plain_HTTP_1_1_with_a_host_and_no_body()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, Health);
        await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("localhost", request.Headers["Host"]);
        Assert.Equal("0", request.Headers["Content-Length"]);
        Assert.False(request.Headers.ContainsKey("Content-Type"));
    }

    private ControlFakeServer Serve(string answer) =>
        new(Socket, (_, stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(answer), ct).AsTask());
}
