namespace Mooring.Rules;

/// <summary>
/// Permissions for <c>UnixFileMode</c> options and settings: chmod's octal form only (0750, 755, 1777, 07777), with
/// surrounding whitespace ignored. Symbolic modes (u+rwx) would need a base mode to apply to.
/// </summary>
/// <remarks>One source file compiled into the generator (a setting's <c>Default</c>) and the runtime (the values users
/// give), so a default the generator accepts is one the plugin accepts at start-up.</remarks>
internal static class FileModeGrammar
{
    /// <summary>What a value must be, for messages.</summary>
    public const string Expected = "octal permissions such as 0750 or 1777";

    /// <summary>The largest mode: set-user-ID, set-group-ID, sticky and rwx for all.</summary>
    public const int MaxMode = 0xFFF;

    /// <summary>Parses octal digits (at most five); <see cref="OptionValueStatus.Overflow"/> above <see cref="MaxMode"/> (07777).</summary>
    public static OptionValueStatus Parse(string text, out int mode)
    {
        mode = 0;
        var s = text.Trim();
        if (s.Length is 0 or > 5)
        {
            return OptionValueStatus.Malformed;
        }

        foreach (var digit in s)
        {
            if (digit is < '0' or > '7')
            {
                mode = 0;
                return OptionValueStatus.Malformed;
            }

            mode = (mode * 8) + (digit - '0');
        }

        return mode <= MaxMode ? OptionValueStatus.Ok : OptionValueStatus.Overflow;
    }
}
