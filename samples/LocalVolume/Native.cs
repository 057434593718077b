using System.Runtime.InteropServices;
using Mooring;

namespace Mooring.Samples.LocalVolume;

/// <summary>The libc calls .NET does not wrap.</summary>
internal static partial class Native
{
    public static void Chown(string path, int uid, int gid)
    {
        if (chown(path, uid, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new VolumeDriverException($"cannot change the owner of '{path}' to {uid}:{gid}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int owner, int group);
}
