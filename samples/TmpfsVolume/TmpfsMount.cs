using System.Globalization;
using System.Runtime.InteropServices;
using Mooring;

namespace Mooring.Samples.TmpfsVolume;

/// <summary>mount(2) and umount2(2) for a tmpfs, called directly (no <c>mount</c> binary in the plugin's rootfs).</summary>
internal static partial class TmpfsMount
{
    private const nuint MsNoSuid = 0x2;
    private const nuint MsNoDev = 0x4;
    private const int MntDetach = 0x2;
    private const int Ebusy = 16;
    private const int Einval = 22;
    private const int Enoent = 2;

    /// <summary>The permissions of the tmpfs root when the volume was created without <c>-o mode</c>.</summary>
    public const UnixFileMode DefaultMode = (UnixFileMode)0b111_101_101;

    /// <summary>Mounts a fresh tmpfs at <paramref name="path"/> with the volume's size and mode.</summary>
    public static void Mount(string volume, string path, ByteSize? size, UnixFileMode? mode)
    {
        var data = new List<string>();
        if (size is { } limit)
        {
            data.Add(string.Create(CultureInfo.InvariantCulture, $"size={limit.Bytes}"));
        }

        data.Add("mode=" + Convert.ToString((int)(mode ?? DefaultMode), 8));
        if (mount("tmpfs", path, "tmpfs", MsNoSuid | MsNoDev, string.Join(',', data)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new VolumeDriverException($"volume '{volume}': mounting a tmpfs at '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)}"
                + (errno == 1 ? " (the plugin needs CAP_SYS_ADMIN)" : ""));
        }
    }

    /// <summary>Unmounts <paramref name="path"/>; a busy mount is detached (it goes once its last user leaves).</summary>
    /// <returns>Whether something was mounted there.</returns>
    public static bool Unmount(string volume, string path)
    {
        if (umount2(path, 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Ebusy && umount2(path, MntDetach) == 0)
        {
            return true;
        }

        if (errno is Einval or Enoent)
        {
            return false; // not a mount point (any more)
        }

        throw new VolumeDriverException($"volume '{volume}': unmounting '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string fileSystemType, nuint flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
