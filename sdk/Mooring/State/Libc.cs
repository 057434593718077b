using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>
/// The few libc calls .NET does not expose: fsync on a directory (FileStream refuses to open directories) and
/// statx, whose mount-root attribute catches bind mounts that a device-number comparison misses.
/// </summary>
internal static class Libc
{
    // O_CLOEXEC is 02000000 on every Linux architecture .NET supports; O_DIRECTORY is not (it differs on arm64),
    // so directories are opened with plain O_RDONLY, which the kernel allows.
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const ulong STATX_ATTR_MOUNT_ROOT = 0x2000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>Flushes a directory's entries (a rename or unlink in it) to stable storage.</summary>
    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to fsync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Facts about <paramref name="path"/> itself (symlinks are not followed), or <see langword="null"/> when statx is
    /// unavailable or the path is gone.
    /// </summary>
    public static StatxInfo? TryStatx(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx has the same layout on every architecture (fixed-width, native-endian fields, 256 bytes).
        var attributes = MemoryMarshal.Read<ulong>(buffer.AsSpan(8));
        var attributesMask = MemoryMarshal.Read<ulong>(buffer.AsSpan(56));
        var devMajor = MemoryMarshal.Read<uint>(buffer.AsSpan(136));
        var devMinor = MemoryMarshal.Read<uint>(buffer.AsSpan(140));
        bool? mountRoot = (attributesMask & STATX_ATTR_MOUNT_ROOT) != 0 ? (attributes & STATX_ATTR_MOUNT_ROOT) != 0 : null;
        return new StatxInfo(devMajor, devMinor, mountRoot);
    }

    /// <summary>The statx fields the safe delete walk needs.</summary>
    /// <param name="DeviceMajor">The major number of the filesystem's device.</param>
    /// <param name="DeviceMinor">The minor number of the filesystem's device.</param>
    /// <param name="IsMountRoot">Whether the path is the root of a mount; <see langword="null"/> when the kernel does not say.</param>
    public readonly record struct StatxInfo(uint DeviceMajor, uint DeviceMinor, bool? IsMountRoot);
}
