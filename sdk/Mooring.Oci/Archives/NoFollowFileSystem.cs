using System.Runtime.InteropServices;
using Mooring.Text;

namespace Mooring.Oci.Archives;

/// <summary>
/// The file-system calls of the flattener that must not follow symbolic links, which .NET's path-based APIs do:
/// a mode change through a directory's file descriptor, reached one component at a time with <c>O_NOFOLLOW</c>, and a
/// hard link (.NET has no API for one).
/// </summary>
internal static partial class NoFollowFileSystem
{
    // O_DIRECTORY and O_NOFOLLOW differ between Linux architectures (asm-generic vs arm, arm64 and powerpc); O_PATH and
    // O_CLOEXEC are the same on every architecture .NET runs on.
    private static readonly bool ArmFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Armv6 or Architecture.Arm64 or Architecture.Ppc64le;
    private static readonly int ODirectory = ArmFlags ? 0x4000 : 0x10000;
    private static readonly int ONoFollow = ArmFlags ? 0x8000 : 0x20000;
    private const int OPath = 0x200000;
    private const int OCloexec = 0x80000;
    private const int ORdOnly = 0;
    private const int ENotDir = 20;
    private const int ELoop = 40;
    private const int ENoEnt = 2;
    private const int EAccess = 13;

    /// <summary>
    /// Sets the mode of <paramref name="root"/>/<paramref name="parts"/> when every component is a real directory, never
    /// following a link. Returns false when a component is missing, a file or a symbolic link; the mode is then not applied.
    /// </summary>
    /// <exception cref="IOException">The file system refused for another reason.</exception>
    public static bool TrySetDirectoryMode(string root, IReadOnlyList<string> parts, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            return TrySetDirectoryModeByPath(root, parts, mode);
        }

        // The root itself is the caller's choice of directory and may be reached through a link.
        var current = Open(-100, root, (parts.Count == 0 ? ORdOnly : OPath) | ODirectory | OCloexec, "the root directory " + root);
        try
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var last = i == parts.Count - 1;

                // Intermediate components only need search permission (O_PATH); the last one is opened for fchmod, which
                // an O_PATH descriptor cannot do.
                var next = openat(current, parts[i], (last ? ORdOnly : OPath) | ODirectory | ONoFollow | OCloexec);
                var error = next < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (next < 0 && last && error == EAccess)
                {
                    // A directory without read permission for us: fall back to its O_PATH descriptor via /proc.
                    next = openat(current, parts[i], OPath | ODirectory | ONoFollow | OCloexec);
                    error = next < 0 ? Marshal.GetLastPInvokeError() : 0;
                    if (next >= 0)
                    {
                        close(current);
                        current = next;
                        return Check(chmod($"/proc/self/fd/{current}", (uint)mode), "chmod", root, parts);
                    }
                }

                if (next < 0)
                {
                    return error is ENotDir or ELoop or ENoEnt ? false : throw Failure("open", error, root, parts);
                }

                close(current);
                current = next;
            }

            return Check(fchmod(current, (uint)mode), "fchmod", root, parts);
        }
        finally
        {
            close(current);
        }
    }

    /// <summary>Creates <paramref name="created"/> as a hard link to <paramref name="existing"/>; false when the file system cannot (then copy).</summary>
    public static bool TryHardLink(string existing, string created) => !OperatingSystem.IsWindows() && link(existing, created) == 0;

    // Other Unix systems: every component is checked with lstat first. Nothing else writes into the root while a layer
    // is applied, so the check cannot be raced by the archive itself.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TrySetDirectoryModeByPath(string root, IReadOnlyList<string> parts, UnixFileMode mode)
    {
        var current = root;
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            if (new DirectoryInfo(current) is not { Exists: true, LinkTarget: null })
            {
                return false;
            }
        }

        File.SetUnixFileMode(current, mode);
        return true;
    }

    private static int Open(int directory, string path, int flags, string what)
    {
        var fd = openat(directory, path, flags);
        return fd >= 0 ? fd : throw new IOException($"Could not open {what} (errno {Marshal.GetLastPInvokeError()}).");
    }

    private static bool Check(int result, string call, string root, IReadOnlyList<string> parts) =>
        result == 0 ? true : throw Failure(call, Marshal.GetLastPInvokeError(), root, parts);

    private static IOException Failure(string call, int errno, string root, IReadOnlyList<string> parts) =>
        new($"{call} failed with errno {errno} on '{UntrustedText.Escape(Path.Combine(root, string.Join('/', parts)))}'.");

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int openat(int directory, string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
