using System;
using System.Collections.Generic;
using System.Linq;

namespace Mooring.Rules;

/// <summary>
/// The capability names of linux/capability.h (as of 5.9, <c>CAP_LAST_CAP</c> = <c>CAP_CHECKPOINT_RESTORE</c>), spelled
/// as config.json expects them, in the kernel's numbering order. The generator (MOOR0009) and the PluginConfig task
/// (MOOR1006, <c>PluginLinuxCapabilities</c>) accept exactly these; runc refuses any other name when the plugin is enabled.
/// </summary>
/// <remarks>One source file compiled into the generator and Mooring.Build (sdk/Common/Rules, like dotnet/runtime's
/// <c>Common/src</c>): one rule, one owner.</remarks>
internal static class LinuxCapabilities
{
    /// <summary>Every capability name, index = the kernel's capability number.</summary>
    public static readonly IReadOnlyList<string> All = new[]
    {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    };

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a capability name, spelled exactly (upper case, <c>CAP_</c> prefix).</summary>
    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>The intended spelling of a near miss (<c>sys_admin</c>, <c>SYS_ADMIN</c>), if any.</summary>
    public static string? Suggest(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
        {
            upper = "CAP_" + upper;
        }

        return All.FirstOrDefault(c => string.Equals(c, upper, StringComparison.Ordinal));
    }

    /// <summary>What to say after "is not a Linux capability": the near miss, or where the names are listed.</summary>
    public static string Hint(string name) =>
        Suggest(name) is { } suggestion ? $"; did you mean '{suggestion}'?" : "; use a CAP_* name from capabilities(7)";
}
