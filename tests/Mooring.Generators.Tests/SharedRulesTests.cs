using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.Generators.Parsing;
using Mooring.Options;
using Mooring.Rules;

namespace Mooring.Generators.Tests;

/// <summary>
/// The rules in sdk/Common/Rules, as the generator compiles them: a setting's default is accepted at compile time exactly
/// when the runtime's parser (the public <see cref="OptionParsers"/> of the Mooring assembly) accepts it at start-up, and
/// the capability names are the kernel's.
/// </summary>
public sealed class SharedRulesTests
{
    /// <summary>Values the generator and the runtime must judge alike, valid and invalid, for every kind with a grammar.</summary>
    public static TheoryData<string, string> Defaults() => new()
    {
        { nameof(ValueKind.Int32), "4" }, { nameof(ValueKind.Int32), "-4" }, { nameof(ValueKind.Int32), "+4" }, { nameof(ValueKind.Int32), " 4" }, { nameof(ValueKind.Int32), "4 " },
        { nameof(ValueKind.Int32), "four" }, { nameof(ValueKind.Int32), "2147483648" }, { nameof(ValueKind.Int32), "1,000" }, { nameof(ValueKind.Int32), "" },
        { nameof(ValueKind.Int64), "2147483648" }, { nameof(ValueKind.Int64), "9223372036854775808" }, { nameof(ValueKind.Int64), "1e3" },
        { nameof(ValueKind.Boolean), "true" }, { nameof(ValueKind.Boolean), " On " }, { nameof(ValueKind.Boolean), "NO" }, { nameof(ValueKind.Boolean), "0" },
        { nameof(ValueKind.Boolean), "maybe" }, { nameof(ValueKind.Boolean), "2" }, { nameof(ValueKind.Boolean), "y" },
        { nameof(ValueKind.TimeSpan), "30s" }, { nameof(ValueKind.TimeSpan), "1h30m" }, { nameof(ValueKind.TimeSpan), "1.5h" }, { nameof(ValueKind.TimeSpan), "2d" },
        { nameof(ValueKind.TimeSpan), "00:01:00" }, { nameof(ValueKind.TimeSpan), "0" }, { nameof(ValueKind.TimeSpan), "500µs" }, { nameof(ValueKind.TimeSpan), "30" },
        { nameof(ValueKind.TimeSpan), "-5s" }, { nameof(ValueKind.TimeSpan), "5 s" }, { nameof(ValueKind.TimeSpan), "1.2.3s" }, { nameof(ValueKind.TimeSpan), "99999999999d" },
        { nameof(ValueKind.ByteSize), "4096" }, { nameof(ValueKind.ByteSize), "512m" }, { nameof(ValueKind.ByteSize), "10 GiB" }, { nameof(ValueKind.ByteSize), "0.1k" },
        { nameof(ValueKind.ByteSize), "10x" }, { nameof(ValueKind.ByteSize), "-1m" }, { nameof(ValueKind.ByteSize), "8192p" }, { nameof(ValueKind.ByteSize), ".5m" }, { nameof(ValueKind.ByteSize), "5ib" },
        { nameof(ValueKind.UnixFileMode), "0750" }, { nameof(ValueKind.UnixFileMode), "755" }, { nameof(ValueKind.UnixFileMode), "07777" }, { nameof(ValueKind.UnixFileMode), "0789" },
        { nameof(ValueKind.UnixFileMode), "17777" }, { nameof(ValueKind.UnixFileMode), "u+rwx" }, { nameof(ValueKind.UnixFileMode), "000750" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void A_default_is_accepted_at_compile_time_exactly_when_the_runtime_parses_it(string kindName, string value)
    {
        // ValueKind is internal to the generator, so the table names it.
        var kind = Enum.Parse<ValueKind>(kindName);
        var problem = MemberParser.DefaultProblem(value, kind, EquatableArray<string>.Empty);
        var runtimeError = RuntimeError(kind, value);

        Assert.True(
            (problem is null) == (runtimeError is null),
            $"{kind} '{value}': the generator says {problem ?? "fine"}, the runtime says {runtimeError ?? "fine"}");
    }

    [Fact]
    public void The_capability_names_are_the_kernels_in_its_numbering()
    {
        // linux/capability.h, 0 to CAP_LAST_CAP (40 since Linux 5.9).
        string[] kernel =
        [
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
            "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
        ];

        Assert.Equal(kernel, LinuxCapabilities.All);
        Assert.All(kernel, name => Assert.True(LinuxCapabilities.IsKnown(name), name));
        Assert.False(LinuxCapabilities.IsKnown("cap_sys_admin"));
        Assert.Equal("CAP_SYS_ADMIN", LinuxCapabilities.Suggest("sys_admin"));
    }

    private static string? RuntimeError(ValueKind kind, string value)
    {
        try
        {
            _ = kind switch
            {
                ValueKind.Int32 => OptionParsers.ParseInt32(value, "s"),
                ValueKind.Int64 => OptionParsers.ParseInt64(value, "s"),
                ValueKind.Boolean => OptionParsers.ParseBoolean(value, "s"),
                ValueKind.TimeSpan => OptionParsers.ParseTimeSpan(value, "s"),
                ValueKind.ByteSize => OptionParsers.ParseByteSize(value, "s"),
                ValueKind.UnixFileMode => OptionParsers.ParseUnixFileMode(value, "s"),
                _ => (object)value,
            };
            return null;
        }
        catch (VolumeOptionException e)
        {
            return e.Message;
        }
    }
}
