using System.Runtime.InteropServices;

namespace Mooring.Samples.Tests;

internal static partial class Posix
{
    public const int SigTerm = 15;

    public static void Kill(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a blittable signature; DllImport keeps the test project free of unsafe blocks
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
