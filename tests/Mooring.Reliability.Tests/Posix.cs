using System.Runtime.InteropServices;

namespace Mooring.Reliability.Tests;

internal static partial class Posix
{
    public const int SigKill = 9;

    public static void Kill(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Best-effort clean-up of a mount a failed test left behind (lazy, so a busy mount goes too).</summary>
    public static void Unmount(string path) => _ = umount2(path, 2);

    public static bool IsRoot => geteuid() == 0;

#pragma warning disable SYSLIB1054 // blittable signatures; DllImport keeps the test project free of unsafe blocks
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc")]
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054
}

/// <summary>What the kernel really has mounted, from this process's view (the plugins run in the same namespace).</summary>
internal static class KernelMounts
{
    public static IReadOnlyList<string> Below(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + "/";
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .ToArray();
    }

    public static bool IsMountPoint(string path) => File.ReadAllLines("/proc/self/mountinfo")
        .Any(line => line.Split(' ')[4] == Path.TrimEndingDirectorySeparator(path));
}

/// <summary>A fact that needs root (mount(2), chown): CI runs as root; elsewhere it is skipped with the reason.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Posix.IsRoot)
        {
            Skip = "needs root (mount(2) for TmpfsVolume)";
        }
    }
}

/// <summary>A theory that needs root; skipped with the reason elsewhere.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Posix.IsRoot)
        {
            Skip = "needs root (mount(2) for TmpfsVolume)";
        }
    }
}
