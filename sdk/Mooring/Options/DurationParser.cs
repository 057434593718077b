using System.Globalization;

namespace Mooring.Options;

/// <summary>
/// Durations as users write them for Go tools (<c>500ms</c>, <c>1h30m</c>, <c>1.5h</c>) plus days (<c>2d</c>) and .NET's
/// <c>[d.]hh:mm:ss[.fffffff]</c>. A bare number is rejected (is <c>30</c> seconds or minutes?), except <c>0</c>.
/// </summary>
internal static class DurationParser
{
    internal enum Status
    {
        Ok,
        Malformed,
        Negative,
        Overflow,
    }

    public static Status Parse(string? text, out TimeSpan result)
    {
        result = default;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return Status.Malformed;
        }

        if (s[0] == '-')
        {
            return Status.Negative;
        }

        if (s is "0")
        {
            return Status.Ok;
        }

        if (s.Contains(':'))
        {
            if (!TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out result))
            {
                return Status.Malformed;
            }

            return result < TimeSpan.Zero ? Status.Negative : Status.Ok;
        }

        decimal ticks = 0;
        while (!s.IsEmpty)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }

            var unitEnd = numberEnd;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
            {
                unitEnd++;
            }

            var number = s[..numberEnd];
            var unit = s[numberEnd..unitEnd];
            if (number.IsEmpty || number is "." || number.Count('.') > 1)
            {
                return Status.Malformed;
            }

            long unitTicks = unit switch
            {
                "ns" => 0, // below TimeSpan's 100 ns resolution; handled below
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => -1,
            };
            if (unitTicks < 0)
            {
                return Status.Malformed;
            }

            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || (unitTicks > 0 && value > TimeSpan.MaxValue.Ticks / unitTicks + 1))
            {
                return Status.Overflow;
            }

            ticks += unit is "ns" ? value / 100 : value * unitTicks;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return Status.Overflow;
            }

            s = s[unitEnd..];
        }

        result = TimeSpan.FromTicks((long)decimal.Truncate(ticks));
        return Status.Ok;
    }
}
