using System.Runtime.InteropServices;

namespace Mooring.TestFixtures;

/// <summary>The few libc calls the tests need: signals, unmount, and whether we are root.</summary>
public static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool IsRoot => geteuid() == 0;

    /// <summary>Sends a signal; throws when the process cannot be signalled.</summary>
    public static void Kill(int pid, int signal)
    {
        if (!TrySignal(pid, signal))
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends a signal to a process that may already be gone.</summary>
    public static bool TrySignal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>Best-effort clean-up of a mount a failed test left behind (lazy, so a busy mount goes too).</summary>
    public static void Unmount(string path) => _ = umount2(path, 2);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
