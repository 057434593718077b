using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>Reads a <c>struct dirent64</c> as returned by <c>readdir64</c>: same layout on every architecture.</summary>
internal static class DirectoryEntry
{
    /// <summary>DT_UNKNOWN: the file system does not say; the walk finds out by trying.</summary>
    public const byte TypeUnknown = 0;

    /// <summary>DT_DIR.</summary>
    public const byte TypeDirectory = 4;

    // d_ino (8 bytes), d_off (8), d_reclen (2), then d_type and the NUL-terminated d_name.
    private const int TypeOffset = 18;
    private const int NameOffset = 19;

    /// <summary>
    /// The entry's name as NUL-terminated bytes (kept as bytes: names need not be UTF-8) and its type, or
    /// <see langword="null"/> for <c>.</c> and <c>..</c>.
    /// </summary>
    public static unsafe (byte[] Name, byte Type)? Read(IntPtr entry)
    {
        var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + NameOffset);
        if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
        {
            return null;
        }

        var terminated = new byte[name.Length + 1];
        name.CopyTo(terminated);
        return (terminated, *((byte*)entry + TypeOffset));
    }
}
