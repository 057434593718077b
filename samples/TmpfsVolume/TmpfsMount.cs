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

    /// <summary>Mounts a fresh tmpfs at <paramref name="path"/> with the recorded size and mode.</summary>
    public static void Mount(string volume, string path, IReadOnlyDictionary<string, string> options)
    {
        var data = new List<string>();
        if (options.TryGetValue("size", out var size))
        {
            data.Add("size=" + size);
        }

        data.Add("mode=" + (options.TryGetValue("mode", out var mode) ? mode : "755"));
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

    /// <summary>Parses octal permissions such as 0755 or 1777.</summary>
    public static int ParseMode(string volume, string text)
    {
        try
        {
            var value = Convert.ToInt32(text, 8);
            if (value is >= 0 and <= 0x0FFF)
            {
                return value;
            }
        }
        catch (FormatException)
        {
        }
        catch (ArgumentException)
        {
        }

        throw new VolumeOptionException(string.Create(CultureInfo.InvariantCulture,
            $"volume '{volume}': option 'mode' must be octal permissions such as 1777, got '{text}'"));
    }

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string fileSystemType, nuint flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
