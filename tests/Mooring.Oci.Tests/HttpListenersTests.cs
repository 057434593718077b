using System.Net;
using System.Net.Sockets;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

/// <summary>Why the scripted servers close their HttpListener through <see cref="HttpListeners.Close"/>.</summary>
public sealed class HttpListenersTests
{
    [Fact]
    public void Stop_then_Close_binds_the_port_again_and_fails_when_another_socket_took_it()
    {
        var (listener, port) = Start();
        listener.Stop();
        using var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();

        // The runtime's behaviour the helper exists for: Close looks the endpoint up again and binds the port.
        Assert.Throws<HttpListenerException>(listener.Close);
    }

    [Fact]
    public void The_helper_closes_once_and_leaves_the_port_free()
    {
        var (listener, port) = Start();
        HttpListeners.Close(listener);

        Assert.False(listener.IsListening);
        using var next = new TcpListener(IPAddress.Loopback, port);
        next.Start(); // throws if the listener still held the port
    }

    private static (HttpListener Listener, int Port) Start()
    {
        var listener = LoopbackHttpListener.Start("127.0.0.1", out var port);
        return (listener, port);
    }
}
