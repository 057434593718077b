using System.ComponentModel;
using Mooring.Rules;

namespace Mooring.Options;

/// <summary>
/// Parsers used by generated option and settings binders. The grammars are in sdk/Common/Rules, shared with the
/// generator, which checks a setting's <c>Default</c> with the same rule. Each throws <see cref="VolumeOptionException"/> with a
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
    public static int ParseInt32(string value, string subject) => IntegerGrammar.ParseInt32(value, out var result) switch
    {
        OptionValueStatus.Ok => result,
        OptionValueStatus.Overflow => throw Error(subject, $"must be between {int.MinValue} and {int.MaxValue}", value),
        _ => throw Error(subject, "must be " + IntegerGrammar.Expected, value),
    };

    /// <summary>Parses a 64-bit integer.</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The number.</returns>
    /// <exception cref="VolumeOptionException">The text is not a whole number or is out of range.</exception>
    public static long ParseInt64(string value, string subject) => IntegerGrammar.ParseInt64(value, out var result) switch
    {
        OptionValueStatus.Ok => result,
        OptionValueStatus.Overflow => throw Error(subject, $"must be between {long.MinValue} and {long.MaxValue}", value),
        _ => throw Error(subject, "must be " + IntegerGrammar.Expected, value),
    };

    /// <summary>Parses true/false/1/0/yes/no/on/off (case-insensitive).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The value.</returns>
    /// <exception cref="VolumeOptionException">The text is none of the accepted words.</exception>
    public static bool ParseBoolean(string value, string subject) =>
        BooleanWords.Parse(value, out var result) == OptionValueStatus.Ok ? result : throw Error(subject, "must be " + BooleanWords.Expected, value);

    /// <summary>Parses 100ms, 30s, 5m, 2h, 1d or a .NET TimeSpan such as 00:01:00.</summary>
    /// <param name="value">The text the user gave; units may be combined as in <c>1h30m</c>.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="VolumeOptionException">The text is not a duration, is negative or is too large.</exception>
    public static TimeSpan ParseTimeSpan(string value, string subject) => DurationGrammar.Parse(value, out var result) switch
    {
        OptionValueStatus.Ok => result,
        OptionValueStatus.Negative => throw Error(subject, "must not be negative; use a duration such as 30s", value),
        OptionValueStatus.Overflow => throw Error(subject, $"is too large (the maximum is about {TimeSpan.MaxValue.Days}d)", value),
        _ => throw Error(subject, "must be " + DurationGrammar.Expected, value),
    };

    /// <summary>Parses a byte size such as 4096, 512k, 512m, 10g, 1t (binary units; optional b/ib suffix).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The size.</returns>
    /// <exception cref="VolumeOptionException">The text is not a size, is negative or does not fit in 64 bits.</exception>
    public static ByteSize ParseByteSize(string value, string subject) => ByteSizeGrammar.Parse(value, out var bytes) switch
    {
        OptionValueStatus.Ok => new ByteSize(bytes),
        OptionValueStatus.Negative => throw Error(subject, "must not be negative; use a byte size such as 512m or 10g", value),
        OptionValueStatus.Overflow => throw Error(subject, "is too large (the maximum is 8191p, just under 8 EiB)", value),
        _ => throw Error(subject, "must be " + ByteSizeGrammar.Expected, value),
    };

    /// <summary>Parses octal permissions such as 0750, 755, 1777 or 07777 (octal digits only, at most 07777).</summary>
    /// <param name="value">The text the user gave.</param>
    /// <param name="subject">What is parsed; starts every error message.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="VolumeOptionException">The text is not octal permissions.</exception>
    public static UnixFileMode ParseUnixFileMode(string value, string subject) => FileModeGrammar.Parse(value, out var mode) switch
    {
        OptionValueStatus.Ok => (UnixFileMode)mode,
        OptionValueStatus.Overflow => throw Error(subject, "must be at most 07777", value),
        _ => throw Error(subject, "must be " + FileModeGrammar.Expected, value),
    };

    private static VolumeOptionException Error(string subject, string requirement, string value) =>
        new($"{subject} {requirement}, got '{value}'");
}
