using System;
using System.Globalization;

namespace Mooring.Rules;

/// <summary>
/// Durations as users write them for Go tools (<c>500ms</c>, <c>1h30m</c>, <c>1.5h</c>) plus days (<c>2d</c>) and .NET's
/// <c>[d.]hh:mm:ss[.fffffff]</c>. A bare number is rejected (is <c>30</c> seconds or minutes?), except <c>0</c>.
/// </summary>
/// <remarks>One source file compiled into the generator (a setting's <c>Default</c>) and the runtime (the values users
/// give), so a default the generator accepts is one the plugin accepts at start-up. Strings rather than spans: the
/// generator targets netstandard2.0.</remarks>
internal static class DurationGrammar
{
    /// <summary>What a value must be, for messages.</summary>
    public const string Expected = "a duration such as 500ms, 30s, 5m, 1h30m, 2d or 00:01:00";

    // TimeSpan.TicksPerMicrosecond is missing from netstandard2.0.
    private const long TicksPerMicrosecond = 10;

    /// <summary>Parses a duration; <see cref="OptionValueStatus.Overflow"/> beyond <see cref="TimeSpan.MaxValue"/>.</summary>
    public static OptionValueStatus Parse(string? text, out TimeSpan result)
    {
        result = default;
        var s = (text ?? string.Empty).Trim();
        if (s.Length == 0)
        {
            return OptionValueStatus.Malformed;
        }

        if (s[0] == '-')
        {
            return OptionValueStatus.Negative;
        }

        if (s is "0")
        {
            return OptionValueStatus.Ok;
        }

        if (s.IndexOf(':') >= 0)
        {
            if (!TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out result))
            {
                return OptionValueStatus.Malformed;
            }

            return result < TimeSpan.Zero ? OptionValueStatus.Negative : OptionValueStatus.Ok;
        }

        decimal ticks = 0;
        var position = 0;
        while (position < s.Length)
        {
            var numberEnd = position;
            while (numberEnd < s.Length && (IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }

            var unitEnd = numberEnd;
            while (unitEnd < s.Length && !IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
            {
                unitEnd++;
            }

            var number = s.Substring(position, numberEnd - position);
            var unit = s.Substring(numberEnd, unitEnd - numberEnd);
            if (number.Length == 0 || number is "." || number.IndexOf('.') != number.LastIndexOf('.'))
            {
                return OptionValueStatus.Malformed;
            }

            var unitTicks = unit switch
            {
                "ns" => 0, // below TimeSpan's 100 ns resolution; handled below
                "us" or "µs" => TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => -1,
            };
            if (unitTicks < 0)
            {
                return OptionValueStatus.Malformed;
            }

            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || (unitTicks > 0 && value > TimeSpan.MaxValue.Ticks / unitTicks + 1))
            {
                return OptionValueStatus.Overflow;
            }

            ticks += unit is "ns" ? value / 100 : value * unitTicks;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return OptionValueStatus.Overflow;
            }

            position = unitEnd;
        }

        result = TimeSpan.FromTicks((long)decimal.Truncate(ticks));
        return OptionValueStatus.Ok;
    }

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
}
