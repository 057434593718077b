using System.Net.Sockets;
using System.Runtime.InteropServices;
using Mooring.State;

namespace Mooring.Hosting.Http;

/// <summary>
/// A unix stream socket on its descriptor, with blocking calls straight to libc: the server's listeners and the
/// connections that have a thread of their own.
/// </summary>
/// <remarks>
/// <para>Not System.Net.Sockets: its first socket starts an epoll thread and probes for IPv4 and IPv6 while the plugin
/// starts, and a plugin that serves each connection on a thread of its own never uses either (docs/benchmarks.md,
/// "Sockets without System.Net.Sockets"). A connection beyond the server's threads is handed to a
/// <see cref="Socket"/> for asynchronous calls (<see cref="ToSocket"/>); only then does that machinery start.</para>
/// <para>Each call holds a reference on the handle, so <see cref="Abort"/> from another thread never closes a
/// descriptor in use (which the kernel could give to the next file opened): it shuts the socket down, which wakes a
/// blocked receive (end of stream) or send (EPIPE), and the descriptor is closed when the last call has returned.</para>
/// </remarks>
internal sealed class UnixSocket : SafeHandle
{
    private int _aborted;

    private UnixSocket(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>A socket bound to <paramref name="path"/> and listening.</summary>
    /// <exception cref="IOException">The socket cannot be made, bound or listen; the message names the path and why.</exception>
    public static UnixSocket Listen(string path, int backlog)
    {
        var socket = Create();
        try
        {
            if (Libc.BindUnix(socket, path) != 0 || Libc.Listen(socket, backlog) != 0)
            {
                throw new IOException($"Failed to bind to address unix:{path}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether something accepts connections on <paramref name="path"/>: connects, and closes at once.</summary>
    public static bool IsListening(string path)
    {
        using var probe = Create();
        return Libc.ConnectUnix(probe, path) == 0;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> until one of <paramref name="listeners"/> has a
    /// connection queued; <paramref name="ready"/> says which.</summary>
    /// <returns>False when the wait was interrupted or a listener is aborted or closed (the server is stopping).</returns>
    public static bool WaitForConnections(IReadOnlyList<UnixSocket> listeners, Span<bool> ready, int timeoutMilliseconds)
    {
        Span<int> descriptors = stackalloc int[listeners.Count];
        Span<short> returned = stackalloc short[listeners.Count];
        var added = 0;
        try
        {
            foreach (var listener in listeners)
            {
                var referenced = false;
                listener.DangerousAddRef(ref referenced); // throws ObjectDisposedException once StopAsync closed it
                descriptors[added++] = (int)listener.DangerousGetHandle();
            }

            var count = Libc.Poll(descriptors, Libc.POLLIN, returned, timeoutMilliseconds);
            var shutDown = false;
            for (var i = 0; i < listeners.Count; i++)
            {
                // A listener shut down by Abort reports POLLIN with POLLHUP, and has nothing to accept.
                shutDown |= (returned[i] & Libc.POLLHUP) != 0;
                ready[i] = (returned[i] & (Libc.POLLIN | Libc.POLLHUP)) == Libc.POLLIN;
            }

            return count >= 0 && !shutDown;
        }
        catch (ObjectDisposedException)
        {
            ready.Clear();
            return false;
        }
        finally
        {
            for (var i = 0; i < added; i++)
            {
                listeners[i].DangerousRelease();
            }
        }
    }

    /// <summary>Takes a queued connection (the caller has seen one with <see cref="WaitForConnections"/>).</summary>
    /// <exception cref="IOException">accept4 failed (out of descriptors, for one); the message says why.</exception>
    /// <exception cref="ObjectDisposedException">The listener was closed.</exception>
    public UnixSocket Accept()
    {
        while (true)
        {
            var fd = Libc.Accept(this);
            if (fd >= 0)
            {
                return new UnixSocket(fd);
            }

            Fail("accept");
        }
    }

    /// <summary>Receives into <paramref name="buffer"/>, waiting for at least one byte.</summary>
    /// <returns>Bytes received; 0 at end of stream (also after <see cref="Abort"/>).</returns>
    /// <exception cref="IOException">The connection broke.</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public int Receive(Span<byte> buffer) => Receive(buffer, wait: true);

    /// <summary>Receives into <paramref name="buffer"/> without waiting (the event loop's receive).</summary>
    /// <returns>Bytes received; 0 at end of stream (also after <see cref="Abort"/>); -1 when nothing has arrived yet.</returns>
    /// <exception cref="IOException">The connection broke.</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public int TryReceive(Span<byte> buffer) => Receive(buffer, wait: false);

    /// <summary>Sends some of <paramref name="buffer"/>, waiting until the peer takes at least one byte.</summary>
    /// <returns>Bytes sent.</returns>
    /// <exception cref="IOException">The connection broke or was aborted.</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public int Send(ReadOnlySpan<byte> buffer)
    {
        while (true)
        {
            var sent = Libc.Send(this, buffer);
            if (sent >= 0)
            {
                return (int)sent;
            }

            Fail("send");
        }
    }

    /// <summary>Whether the peer has closed its end: readable, with nothing to read. Bytes waiting (a pipelined request)
    /// are not taken.</summary>
    public bool PeerClosed()
    {
        Span<byte> one = stackalloc byte[1];
        try
        {
            var peeked = Libc.Receive(this, one, peek: true);
            return peeked == 0 || (peeked < 0 && Marshal.GetLastPInvokeError() is not (Libc.EAGAIN or Libc.EINTR));
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Shuts the socket down, which wakes a thread blocked on it, and closes it once no call uses it. Safe to
    /// call more than once and from any thread.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _ = Libc.Shutdown(this);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        Dispose();
    }

    /// <summary>Hands the descriptor to a <see cref="Socket"/> for asynchronous calls; this handle no longer owns it.</summary>
    public Socket ToSocket()
    {
        var fd = handle;
        SetHandleAsInvalid();
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;

    private static UnixSocket Create()
    {
        var fd = Libc.UnixStreamSocket();
        return fd >= 0 ? new UnixSocket(fd) : throw new IOException($"cannot create a unix socket: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    // EINTR returns to retry; anything else is the end of the call's socket (or, for accept, a failure to report).
    // Both receives: an interrupted one is tried again; one that would wait, when not waiting, is -1.
    private int Receive(Span<byte> buffer, bool wait)
    {
        while (true)
        {
            var received = Libc.Receive(this, buffer, wait: wait);
            if (received >= 0)
            {
                return (int)received;
            }

            if (!wait && Marshal.GetLastPInvokeError() == Libc.EAGAIN)
            {
                return -1;
            }

            Fail("receive");
        }
    }

    private static void Fail(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Libc.EINTR)
        {
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
