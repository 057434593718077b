using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>Changes the owner of a path without following a symlink at its end (lchown): .NET has no API for it.</summary>
internal static partial class Ownership
{
    /// <summary>Makes <paramref name="uid"/>:<paramref name="gid"/> the owner of <paramref name="path"/> (-1 keeps one).</summary>
    /// <exception cref="VolumeDriverException">lchown failed; the message names the volume, the IDs and the cause.</exception>
    public static void Change(string volume, string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new VolumeDriverException(
                $"volume '{volume}': cannot make {uid}:{gid} the owner of its directory: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);
}
