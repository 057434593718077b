using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>
/// epoll and eventfd, for the HTTP server's event loop (<see cref="Hosting.Http.EventLoop"/>).
/// </summary>
/// <remarks><c>struct epoll_event</c> is a 32-bit event mask and a 64-bit datum, packed to 12 bytes on x86 and x86-64
/// (the kernel's <c>__EPOLL_PACKED</c>) and aligned to 16 on every other architecture .NET runs on: the datum's offset
/// is chosen at run time.</remarks>
internal static partial class Libc
{
    public const uint EPOLLIN = 0x1;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLONESHOT = 1u << 30;

    private const int EPOLL_CTL_ADD = 1;
    private const int EPOLL_CTL_MOD = 3;
    private const int EFD_CLOEXEC = 0x80000;

    // Where the datum starts in a struct epoll_event: after the 4-byte mask when packed, at 8 when aligned.
    private static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 4 : 8;

    /// <summary>epoll_create1(2), close-on-exec.</summary>
    /// <returns>The descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int EpollCreate() => epoll_create1(SOCK_CLOEXEC);

    /// <summary>eventfd(2) at 0, close-on-exec.</summary>
    /// <returns>The descriptor, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int EventFd() => eventfd(0, EFD_CLOEXEC);

    /// <summary>Adds 1 to an eventfd's counter, which makes it readable.</summary>
    public static unsafe void Signal(int eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>epoll_ctl(2) ADD or MOD of <paramref name="fd"/> with <paramref name="events"/> and
    /// <paramref name="data"/>.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    /// <exception cref="ObjectDisposedException"><paramref name="fd"/> is closed.</exception>
    public static unsafe int EpollControl(int epfd, bool add, SafeHandle fd, uint events, ulong data)
    {
        var referenced = false;
        fd.DangerousAddRef(ref referenced);
        try
        {
            return EpollControl(epfd, add, (int)fd.DangerousGetHandle(), events, data);
        }
        finally
        {
            fd.DangerousRelease();
        }
    }

    /// <inheritdoc cref="EpollControl(int, bool, SafeHandle, uint, ulong)"/>
    public static unsafe int EpollControl(int epfd, bool add, int fd, uint events, ulong data)
    {
        var entry = stackalloc byte[16];
        *(uint*)entry = events;
        *(ulong*)(entry + EpollDataOffset) = data;
        return epoll_ctl(epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, entry);
    }

    /// <summary>epoll_wait(2) for one event, without a timeout.</summary>
    /// <param name="epfd">The epoll descriptor.</param>
    /// <param name="data">The ready descriptor's datum.</param>
    /// <returns>True with an event; false when it failed, with the error (EINTR: interrupted) in
    /// <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe bool EpollWaitOne(int epfd, out ulong data)
    {
        var entry = stackalloc byte[16];
        if (epoll_wait(epfd, entry, 1, -1) == 1)
        {
            data = *(ulong*)(entry + EpollDataOffset);
            return true;
        }

        data = 0;
        return false;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_ctl(int epfd, int op, int fd, byte* entry);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);
}
