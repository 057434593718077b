using System.Runtime.InteropServices;
using System.Text;

namespace Mooring.State;

/// <summary>
/// The unix stream socket calls the plugin's HTTP server makes (<see cref="Hosting.Http.UnixSocket"/>): socket, bind,
/// listen, accept4, connect, recv, send, shutdown and poll, straight to libc.
/// </summary>
/// <remarks>
/// System.Net.Sockets starts its epoll thread and probes for IPv4 and IPv6 the first time a socket is made, which a plugin
/// serving blocking calls on its own threads never needs (docs/benchmarks.md, "Sockets without System.Net.Sockets").
/// The constants are the Linux values of every architecture .NET runs on (MIPS, the exception for SOCK_STREAM, is not
/// one of them).
/// </remarks>
internal static partial class Libc
{
    public const short POLLIN = 0x1;
    public const short POLLHUP = 0x10;

    private const ushort AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SHUT_RDWR = 2;
    private const int MSG_PEEK = 0x2;
    private const int MSG_DONTWAIT = 0x40;
    private const int MSG_NOSIGNAL = 0x4000;

    // struct sockaddr_un: sa_family_t sun_family, then char sun_path[108].
    private const int SunPathOffset = 2;
    private const int SunPathBytes = 108;

    /// <summary>A new unix stream socket, close-on-exec.</summary>
    /// <returns>The descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int UnixStreamSocket() => socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    /// <summary>bind(2) of <paramref name="fd"/> to the filesystem path <paramref name="path"/>.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe int BindUnix(SafeHandle fd, string path)
    {
        var address = UnixAddress(path, out var length);
        fixed (byte* start = address)
        {
            return bind(fd, start, length);
        }
    }

    /// <summary>connect(2) of <paramref name="fd"/> to the filesystem path <paramref name="path"/>.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe int ConnectUnix(SafeHandle fd, string path)
    {
        var address = UnixAddress(path, out var length);
        fixed (byte* start = address)
        {
            return connect(fd, start, length);
        }
    }

    /// <summary>listen(2).</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int Listen(SafeHandle fd, int backlog) => listen(fd, backlog);

    /// <summary>accept4(2) with close-on-exec, without the peer's address (a unix peer has none).</summary>
    /// <returns>The connection's descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int Accept(SafeHandle fd) => accept4(fd, IntPtr.Zero, IntPtr.Zero, SOCK_CLOEXEC);

    /// <summary>recv(2) into <paramref name="buffer"/>; with <paramref name="peek"/>, without waiting and without taking
    /// the bytes; without <paramref name="wait"/>, without waiting (the event loop's receive).</summary>
    /// <returns>Bytes received, 0 at end of stream, or -1 with the error (EAGAIN: nothing yet, when not waiting) in
    /// <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe nint Receive(SafeHandle fd, Span<byte> buffer, bool peek = false, bool wait = true)
    {
        fixed (byte* start = buffer)
        {
            return recv(fd, start, (nuint)buffer.Length, (peek ? MSG_PEEK : 0) | (peek || !wait ? MSG_DONTWAIT : 0));
        }
    }

    /// <summary>send(2) of <paramref name="buffer"/>, without SIGPIPE when the peer has gone.</summary>
    /// <returns>Bytes sent (possibly fewer than asked), or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe nint Send(SafeHandle fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            return send(fd, start, (nuint)buffer.Length, MSG_NOSIGNAL);
        }
    }

    /// <summary>shutdown(2) both ways: wakes a thread blocked in a receive or a send on the socket, which then sees the
    /// end of the stream (or EPIPE), before the descriptor is closed.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int Shutdown(SafeHandle fd) => shutdown(fd, SHUT_RDWR);

    /// <summary>poll(2) on <paramref name="descriptors"/> for <paramref name="events"/>, waiting at most
    /// <paramref name="timeoutMilliseconds"/>; <paramref name="returned"/> gets each descriptor's pending events.</summary>
    /// <returns>How many descriptors have events, 0 on timeout, or -1 with the error in
    /// <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe int Poll(ReadOnlySpan<int> descriptors, short events, Span<short> returned, int timeoutMilliseconds)
    {
        Span<PollEntry> entries = stackalloc PollEntry[descriptors.Length];
        for (var i = 0; i < descriptors.Length; i++)
        {
            entries[i] = new PollEntry { Descriptor = descriptors[i], Events = events, ReturnedEvents = 0 }; // the kernel fills it in
        }

        int ready;
        fixed (PollEntry* start = entries)
        {
            ready = poll(start, (nuint)entries.Length, timeoutMilliseconds);
        }

        for (var i = 0; i < descriptors.Length; i++)
        {
            returned[i] = ready < 0 ? (short)0 : entries[i].ReturnedEvents;
        }

        return ready;
    }

    private static byte[] UnixAddress(string path, out int length)
    {
        var pathBytes = Encoding.UTF8.GetByteCount(path);
        if (pathBytes >= SunPathBytes)
        {
            throw new IOException($"socket path '{path}' is {pathBytes} bytes long; unix sockets allow at most {SunPathBytes - 1}");
        }

        var address = new byte[SunPathOffset + pathBytes + 1];
        MemoryMarshal.Write(address, AF_UNIX); // sa_family_t is a native-endian unsigned short
        Encoding.UTF8.GetBytes(path, address.AsSpan(SunPathOffset));
        length = address.Length;
        return address;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int bind(SafeHandle fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int connect(SafeHandle fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int listen(SafeHandle fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(SafeHandle fd, IntPtr address, IntPtr length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(SafeHandle fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint send(SafeHandle fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int shutdown(SafeHandle fd, int how);
}
