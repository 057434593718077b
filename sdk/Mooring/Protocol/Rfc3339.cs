namespace Mooring.Protocol;

/// <summary>
/// RFC 3339 text of a time, as UTF-8, with only the fractional digits needed: the one owner of how a creation time is
/// written, on the wire (<see cref="VolumeAnswers"/>), on the management socket and in state files.
/// </summary>
/// <remarks>
/// Written digit by digit rather than with <see cref="DateTime.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// or <see cref="System.Text.Json.Utf8JsonWriter"/>'s date overloads: those reach the general date formatter and its
/// custom format interpreter, compiled for bytes as well as chars, 25 KB of a state-backed plugin's binary
/// (docs/footprint.md). The output is byte for byte what those wrote (tests/Mooring.Tests/Rfc3339Tests.cs compares
/// them).
/// </remarks>
internal static class Rfc3339
{
    /// <summary>The longest text: <c>2026-12-02T06:12:00.1234567+05:30</c>.</summary>
    public const int MaxBytes = 33;

    /// <summary>Writes <paramref name="value"/> in UTC, ending in <c>Z</c>, as Go's <c>time.RFC3339Nano</c> does:
    /// <c>2026-12-02T06:12:00.1234567Z</c>.</summary>
    /// <param name="value">The time.</param>
    /// <param name="text">At least <see cref="MaxBytes"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public static int FormatUtc(DateTimeOffset value, Span<byte> text)
    {
        var length = WriteClock(value.UtcDateTime, text);
        text[length] = (byte)'Z';
        return length + 1;
    }

    /// <summary>Writes <paramref name="value"/> with its own offset, as <see cref="System.Text.Json.Utf8JsonWriter"/>
    /// writes a <see cref="DateTimeOffset"/>: <c>2026-12-02T07:12:00.5+01:00</c>, and <c>+00:00</c> rather than
    /// <c>Z</c>.</summary>
    /// <param name="value">The time.</param>
    /// <param name="text">At least <see cref="MaxBytes"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Format(DateTimeOffset value, Span<byte> text)
    {
        var length = WriteClock(value.DateTime, text);
        var offset = (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
        text[length] = offset < 0 ? (byte)'-' : (byte)'+';
        offset = Math.Abs(offset);
        WriteDigits(text.Slice(length + 1, 2), offset / 60);
        text[length + 3] = (byte)':';
        WriteDigits(text.Slice(length + 4, 2), offset % 60);
        return length + 6;
    }

    /// <summary>Formats a creation time as the wire and the management socket show it (<see cref="FormatUtc(DateTimeOffset, Span{byte})"/>).</summary>
    /// <param name="value">The time.</param>
    /// <returns>RFC 3339 in UTC, e.g. <c>2026-12-02T06:12:00.1234567Z</c>.</returns>
    public static string FormatUtc(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[MaxBytes];
        return System.Text.Encoding.ASCII.GetString(text[..FormatUtc(value, text)]);
    }

    // yyyy-MM-ddTHH:mm:ss, then a dot and the fraction of a second without its trailing zeros, if it has one.
    private static int WriteClock(DateTime clock, Span<byte> text)
    {
        WriteDigits(text[..4], clock.Year);
        text[4] = (byte)'-';
        WriteDigits(text.Slice(5, 2), clock.Month);
        text[7] = (byte)'-';
        WriteDigits(text.Slice(8, 2), clock.Day);
        text[10] = (byte)'T';
        WriteDigits(text.Slice(11, 2), clock.Hour);
        text[13] = (byte)':';
        WriteDigits(text.Slice(14, 2), clock.Minute);
        text[16] = (byte)':';
        WriteDigits(text.Slice(17, 2), clock.Second);
        var fraction = (int)(clock.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }

        var digits = 7;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        text[19] = (byte)'.';
        WriteDigits(text.Slice(20, digits), fraction);
        return 20 + digits;
    }

    // Writes value's last destination.Length decimal digits, with leading zeros.
    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
