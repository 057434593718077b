using System.Net.Sockets;
using System.Text;
using Mooring.Hosting.Http;
using Mooring.TestFixtures;

namespace Mooring.Tests;

/// <summary>The server's libc sockets: what the server relies on when it stops a connection or a listener from
/// another thread, and how it tells a closed client from a pipelined request.</summary>
public sealed class UnixSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _temp = new();

    private string SocketPath => _temp.Combine("s.sock");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Abort_wakes_a_receive_blocked_on_another_thread()
    {
        using var listener = UnixSocket.Listen(SocketPath, 4);
        using var client = await ConnectAsync();
        var accepted = AcceptOne(listener);

        var receive = Task.Factory.StartNew(() => accepted.Receive(new byte[16]), TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.False(receive.IsCompleted);

        accepted.Abort();

        // Without the shutdown in Abort the descriptor stays open under the blocked call, and the receive never returns.
        Assert.Same(receive, await Task.WhenAny(receive, Task.Delay(Patience)));
        Assert.Equal(0, await receive);
        Assert.True(accepted.IsClosed);
    }

    [Fact]
    public async Task Abort_of_a_listener_wakes_the_wait_for_connections()
    {
        var listener = UnixSocket.Listen(SocketPath, 4);
        var wait = Task.Factory.StartNew(
            () =>
            {
                Span<bool> ready = stackalloc bool[1];
                return UnixSocket.WaitForConnections([listener], ready, (int)Patience.TotalMilliseconds * 2) && ready[0];
            },
            TaskCreationOptions.LongRunning);
        await Task.Delay(100);

        listener.Abort();

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(Patience)));
        Assert.False(await wait); // woken with no connection to accept: accepting now would block
    }

    [Fact]
    public async Task A_closed_peer_is_told_from_one_that_sent_the_next_request()
    {
        using var listener = UnixSocket.Listen(SocketPath, 4);
        using var pipelining = await ConnectAsync();
        using var first = AcceptOne(listener);
        using var leaving = await ConnectAsync();
        using var second = AcceptOne(listener);

        Assert.False(first.PeerClosed()); // nothing sent yet, still there

        await pipelining.SendAsync(Encoding.ASCII.GetBytes("GET /next HTTP/1.1\r\n\r\n"), SocketFlags.None);
        leaving.Close();
        await Task.Delay(50);

        Assert.False(first.PeerClosed());
        Assert.True(second.PeerClosed());

        // The pipelined bytes were looked at, not taken.
        var buffer = new byte[64];
        Assert.Equal("GET /next HTTP/1.1\r\n\r\n", Encoding.ASCII.GetString(buffer, 0, first.Receive(buffer)));
    }

    [Fact]
    public async Task Bytes_go_both_ways_and_a_send_to_a_gone_peer_fails()
    {
        using var listener = UnixSocket.Listen(SocketPath, 4);
        var client = await ConnectAsync();
        using var accepted = AcceptOne(listener);

        Assert.Equal(5, accepted.Send("hello"u8));
        var buffer = new byte[16];
        Assert.Equal(5, await client.ReceiveAsync(buffer, SocketFlags.None));

        client.Dispose();
        var failure = Assert.Throws<IOException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                accepted.Send(new byte[4096]); // the first sends may still fit in the socket buffer
            }
        });
        Assert.Contains("send failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_cannot_be_bound_is_named_in_the_error()
    {
        var missing = _temp.Combine("no-such-directory", "s.sock");
        var failure = Assert.Throws<IOException>(() => UnixSocket.Listen(missing, 4));
        Assert.Contains($"unix:{missing}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", failure.Message, StringComparison.Ordinal);

        var tooLong = "/tmp/" + new string('x', 120);
        Assert.Contains("at most 107", Assert.Throws<IOException>(() => UnixSocket.Listen(tooLong, 4)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsListening_tells_a_live_socket_from_a_stale_one()
    {
        var listener = UnixSocket.Listen(SocketPath, 4);
        Assert.True(UnixSocket.IsListening(SocketPath));

        listener.Dispose(); // the file stays, as after a plugin killed with SIGKILL
        Assert.True(File.Exists(SocketPath));
        Assert.False(UnixSocket.IsListening(SocketPath));
    }

    [Fact]
    public async Task A_connection_handed_to_a_Socket_keeps_working_and_is_owned_once()
    {
        using var listener = UnixSocket.Listen(SocketPath, 4);
        using var client = await ConnectAsync();
        var accepted = AcceptOne(listener);

        using var socket = accepted.ToSocket();
        Assert.True(accepted.IsClosed); // disposing the handle now closes nothing
        accepted.Dispose();

        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[8];
        Assert.Equal(4, await socket.ReceiveAsync(buffer, SocketFlags.None));
    }

    private static UnixSocket AcceptOne(UnixSocket listener)
    {
        Span<bool> ready = stackalloc bool[1];
        Assert.True(UnixSocket.WaitForConnections([listener], ready, (int)Patience.TotalMilliseconds));
        Assert.True(ready[0]);
        return listener.Accept();
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }
}
