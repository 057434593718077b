using System.Runtime.InteropServices;
using Mooring;

namespace TemplateNamespace;

/// <summary>The libc calls .NET does not wrap.</summary>
internal static partial class Native
{
    /// <summary>Changes the owner of <paramref name="path"/> (-1 keeps the group).</summary>
    public static void Chown(string volume, string path, int uid)
    {
        if (chown(path, uid, -1) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new VolumeDriverException($"volume '{volume}': cannot make user {uid} the owner of its directory: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int owner, int group);
}
