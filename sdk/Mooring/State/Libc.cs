using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>
/// The libc calls .NET does not expose: fsync on a directory (FileStream refuses to open directories), the
/// <c>*at</c> family with statx that lets <see cref="SafeDelete"/> walk a tree by file descriptor, never by path, and a
/// plain write(2) to a descriptor (<see cref="Logging.StandardStreams"/>: stdout and stderr without System.Console).
/// </summary>
/// <remarks>
/// Flag and errno values are the Linux ones shared by every architecture .NET runs on, except the two open flags that
/// differ (see <see cref="ODirectory"/>). <c>struct statx</c> and <c>struct dirent64</c> have one layout everywhere,
/// which is why they are used instead of <c>struct stat</c> and <c>struct dirent</c>.
/// Names are passed as NUL-terminated bytes: a file name need not be valid UTF-8, and decoding it would lose it.
/// </remarks>
internal static partial class Libc
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int EDQUOT = 122;

    public const short POLLPRI = 0x2;
    public const short POLLERR = 0x8;

    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;

    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>
    /// <c>O_DIRECTORY</c>: 0x4000 on the ARM and PowerPC families, 0x10000 on x86, RISC-V, LoongArch and s390x;
    /// 0 (flag not known) elsewhere, which <see cref="OpenDirectoryFlags"/> refuses.
    /// </summary>
    private static readonly int ODirectory = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le => 0x4000,
        Architecture.X64 or Architecture.X86 or Architecture.RiscV64 or Architecture.LoongArch64 or Architecture.S390x => 0x10000,
        _ => 0,
    };

    /// <summary><c>O_NOFOLLOW</c>, which moves together with <see cref="ODirectory"/>.</summary>
    private static readonly int ONoFollow = ODirectory == 0x4000 ? 0x8000 : ODirectory == 0x10000 ? 0x20000 : 0;

    private static readonly byte[] Dot = [(byte)'.', 0];

    /// <summary>
    /// <c>O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC</c>: opens a directory, never through a symlink, or fails; or
    /// <see langword="null"/> on an architecture whose values are not known (a wrong guess could follow links).
    /// </summary>
    public static int? OpenDirectoryFlags => ODirectory == 0 ? null : O_RDONLY | ODirectory | ONoFollow | O_CLOEXEC;

    /// <summary><see cref="OpenDirectoryFlags"/> without <c>O_NOFOLLOW</c>, for the trusted data root.</summary>
    public static int? OpenDirectoryFollowingFlags => ODirectory == 0 ? null : O_RDONLY | ODirectory | O_CLOEXEC;

    /// <summary>Flushes a directory's entries (a rename or unlink in it) to stable storage.</summary>
    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Plain O_RDONLY: the kernel opens a directory with it, and it needs no per-architecture flag.
        var fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to fsync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>Flushes a file's data, and the metadata needed to read it back (its size), to stable storage.</summary>
    /// <exception cref="IOException">fdatasync failed; the message says why.</exception>
    public static void Fdatasync(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path)
    {
        if (OperatingSystem.IsLinux() && fdatasync(file) != 0)
        {
            throw new IOException($"fdatasync of '{path}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Opens <paramref name="path"/> (symlinks in it followed) as a directory, or returns an invalid handle.</summary>
    public static FileDescriptor OpenDirectory(string path, int flags) => new(open(path, flags));

    /// <summary>Opens <paramref name="name"/> relative to <paramref name="directory"/>; an invalid handle on failure.</summary>
    /// <param name="directory">The directory <paramref name="name"/> is in.</param>
    /// <param name="name">One NUL-terminated file name (no slash).</param>
    /// <param name="flags">Open flags.</param>
    public static FileDescriptor OpenAt(FileDescriptor directory, byte[] name, int flags) => new(openat(directory, name, flags));

    /// <summary>Removes <paramref name="name"/> from <paramref name="directory"/>: a non-directory, or with <see cref="AT_REMOVEDIR"/> an empty directory.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    public static int UnlinkAt(FileDescriptor directory, byte[] name, int flags) => unlinkat(directory, name, flags);

    /// <summary>statx of <paramref name="name"/> in <paramref name="directory"/>, or of the directory itself for an empty name with <see cref="AT_EMPTY_PATH"/>.</summary>
    /// <returns>0, or -1 with errno set.</returns>
    public static int StatxAt(FileDescriptor directory, byte[] name, int flags, out FileStatus status)
        => statx(directory, name, flags, FileStatus.RequestMask, out status);

    /// <summary>
    /// Opens a directory stream on a new, independent open of <paramref name="directory"/> (its own read position,
    /// closed with the stream), so that reading the entries again starts from the beginning.
    /// </summary>
    /// <returns>The stream, or <see cref="IntPtr.Zero"/> with <paramref name="errno"/> set.</returns>
    public static IntPtr OpenDirectoryStream(FileDescriptor directory, int flags, out int errno)
    {
        var fd = openat(directory, Dot, flags);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return IntPtr.Zero;
        }

        var stream = fdopendir(fd);
        errno = Marshal.GetLastPInvokeError();
        if (stream == IntPtr.Zero)
        {
            _ = close(fd);
        }

        return stream;
    }

    /// <summary>
    /// The next <c>struct dirent64</c> of <paramref name="stream"/> (valid until the next call), or
    /// <see cref="IntPtr.Zero"/> at the end (<paramref name="errno"/> 0) or on an error.
    /// </summary>
    public static IntPtr ReadDirectory(IntPtr stream, out int errno)
    {
        var entry = readdir64(stream);
        errno = entry == IntPtr.Zero ? Marshal.GetLastPInvokeError() : 0;
        return entry;
    }

    /// <summary>Closes a stream from <see cref="OpenDirectoryStream"/> and its descriptor.</summary>
    public static void CloseDirectoryStream(IntPtr stream) => _ = closedir(stream);

    /// <summary>write(2): writes from the start of <paramref name="buffer"/> to <paramref name="descriptor"/>.</summary>
    /// <returns>How many bytes were written (possibly fewer than asked), or -1 with the error in
    /// <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static unsafe nint Write(int descriptor, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            return write(descriptor, start, (nuint)buffer.Length);
        }
    }

    /// <summary>
    /// poll(2) on one descriptor without waiting: whether any of <paramref name="events"/> (or an error condition) is
    /// pending on it.
    /// </summary>
    /// <returns>The pending events, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int PollNow(Microsoft.Win32.SafeHandles.SafeFileHandle descriptor, short events)
    {
        var added = false;
        try
        {
            descriptor.DangerousAddRef(ref added);
            Span<short> returned = stackalloc short[1];
            return Poll([(int)descriptor.DangerousGetHandle()], events, returned, 0) < 0 ? -1 : returned[0];
        }
        finally
        {
            if (added)
            {
                descriptor.DangerousRelease();
            }
        }
    }

    /// <summary>Changes the owner of <paramref name="path"/> itself, not of what a symlink there points at
    /// (-1 keeps the user or the group); .NET has no API for it.</summary>
    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int ChangeOwnerNoFollow(string path, int uid, int gid) => lchown(path, uid, gid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    // Descriptors come back as int, not as a SafeHandle: a SafeHandle return is read as a pointer-sized value whose
    // upper half an int -1 need not set, so a failure could look like a valid descriptor. As arguments SafeHandles are
    // fine (a small non-negative value in the register) and keep the descriptor from being closed during the call.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int openat(FileDescriptor dirfd, byte[] path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlinkat(FileDescriptor dirfd, byte[] path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(FileDescriptor dirfd, byte[] path, int flags, uint mask, out FileStatus buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr fdopendir(int fd);

    // readdir64, not readdir: struct dirent64 is the same on 32- and 64-bit (glibc's 32-bit struct dirent is not), and
    // both glibc and musl export it.
    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr readdir64(IntPtr stream);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int closedir(IntPtr stream);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(Microsoft.Win32.SafeHandles.SafeFileHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollEntry* entries, nuint count, int timeout);

    /// <summary><c>struct pollfd</c>: the same layout on every Linux architecture.</summary>
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
