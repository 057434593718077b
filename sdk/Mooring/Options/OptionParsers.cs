using System.ComponentModel;
using System.Globalization;

namespace Mooring.Options;

/// <summary>
/// Parsers used by generated option and settings binders. Each throws <see cref="VolumeOptionException"/> with a
/// message that starts with the <c>subject</c> argument, e.g. <c>volume 'x': option 'size' must be a byte size such as
/// 512m or 10g, got 'abc'</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptionParsers
{
    /// <summary>Parses a 32-bit integer.</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed, e.g. <c>volume 'x': option 'uid'</c>; starts every error message.</param>
    /// <returns>The number.</returns>
    /// <exception cref="VolumeOptionException">The text is not a whole number or is out of range.</exception>
    public static int ParseInt32(string value, string subject)
    {
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        throw IsInteger(value)
            ? Error(subject, $"must be between {int.MinValue} and {int.MaxValue}", value)
            : Error(subject, "must be a whole number such as 1000", value);
    }

    /// <summary>Parses a 64-bit integer.</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The number.</returns>
    /// <exception cref="VolumeOptionException">The text is not a whole number or is out of range.</exception>
    public static long ParseInt64(string value, string subject)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        throw IsInteger(value)
            ? Error(subject, $"must be between {long.MinValue} and {long.MaxValue}", value)
            : Error(subject, "must be a whole number such as 1000", value);
    }

    /// <summary>Parses true/false/1/0/yes/no/on/off (case-insensitive).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The value.</returns>
    /// <exception cref="VolumeOptionException">The text is none of the accepted words.</exception>
    public static bool ParseBoolean(string value, string subject)
    {
        var s = value.AsSpan().Trim();
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s is "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (s.Equals("false", StringComparison.OrdinalIgnoreCase) || s is "0" || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw Error(subject, "must be true or false (or 1/0, yes/no, on/off)", value);
    }

    /// <summary>Parses 100ms, 30s, 5m, 2h, 1d or a .NET TimeSpan such as 00:01:00.</summary>
    /// <param name="value">The text the user gave; units may be combined as in <c>1h30m</c>.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="VolumeOptionException">The text is not a duration, is negative or is too large.</exception>
    public static TimeSpan ParseTimeSpan(string value, string subject)
    {
        switch (DurationParser.Parse(value, out var result))
        {
            case DurationParser.Status.Ok:
                return result;
            case DurationParser.Status.Negative:
                throw Error(subject, "must not be negative; use a duration such as 30s", value);
            case DurationParser.Status.Overflow:
                throw Error(subject, $"is too large (the maximum is about {TimeSpan.MaxValue.Days}d)", value);
            default:
                throw Error(subject, "must be a duration such as 500ms, 30s, 5m, 1h30m, 2d or 00:01:00", value);
        }
    }

    /// <summary>Parses a byte size such as 4096, 512k, 512m, 10g, 1t (binary units; optional b/ib suffix).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The size.</returns>
    /// <exception cref="VolumeOptionException">The text is not a size, is negative or does not fit in 64 bits.</exception>
    public static ByteSize ParseByteSize(string value, string subject) => ByteSizeParser.Parse(value, out var bytes) switch
    {
        ByteSizeParser.Status.Ok => new ByteSize(bytes),
        ByteSizeParser.Status.Negative => throw Error(subject, "must not be negative; use a byte size such as 512m or 10g", value),
        ByteSizeParser.Status.Overflow => throw Error(subject, "is too large (the maximum is 8191p, just under 8 EiB)", value),
        _ => throw Error(subject, "must be a byte size such as 4096, 512m or 10g (k, m, g, t, p are powers of 1024)", value),
    };

    /// <summary>Parses octal permissions such as 0750, 755, 1777 or 07777 (octal digits only, at most 07777).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="VolumeOptionException">The text is not octal permissions.</exception>
    public static UnixFileMode ParseUnixFileMode(string value, string subject)
    {
        // chmod's octal form only: symbolic modes (u+rwx) would need a base mode to apply to.
        var s = value.AsSpan().Trim();
        if (s.Length is 0 or > 5 || s.ContainsAnyExceptInRange('0', '7'))
        {
            throw Error(subject, "must be octal permissions such as 0750 or 1777", value);
        }

        var mode = 0;
        foreach (var digit in s)
        {
            mode = (mode * 8) + (digit - '0');
        }

        return mode <= 0xFFF ? (UnixFileMode)mode : throw Error(subject, "must be at most 07777", value);
    }

    private static bool IsInteger(string value)
    {
        var s = value.AsSpan();
        if (!s.IsEmpty && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        return !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');
    }

    private static VolumeOptionException Error(string subject, string requirement, string value) =>
        new($"{subject} {requirement}, got '{value}'");
}
