using System;
using System.Globalization;

namespace Mooring.Rules;

/// <summary>
/// The byte-size grammar docker uses for <c>--shm-size</c> and <c>-o size=</c> (go-units <c>RAMInBytes</c>): a decimal
/// number, an optional space, an optional unit k/m/g/t/p in powers of 1024, then an optional <c>i</c> and <c>b</c>.
/// A fractional result is truncated, as docker does (<c>0.1k</c> is 102 bytes).
/// </summary>
/// <remarks>One source file compiled into the generator (a setting's <c>Default</c>) and the runtime (<c>ByteSize</c>
/// and the values users give), so a default the generator accepts is one the plugin accepts at start-up. Strings rather
/// than spans: the generator targets netstandard2.0.</remarks>
internal static class ByteSizeGrammar
{
    /// <summary>What a value must be, for messages.</summary>
    public const string Expected = "a byte size such as 4096, 512m or 10g (k, m, g, t, p are powers of 1024)";

    /// <summary>Parses a size; <see cref="OptionValueStatus.Overflow"/> when it does not fit in a <see cref="long"/>.</summary>
    public static OptionValueStatus Parse(string? text, out long bytes)
    {
        bytes = 0;
        var s = (text ?? string.Empty).Trim();
        if (s.Length == 0)
        {
            return OptionValueStatus.Malformed;
        }

        if (s[0] == '-')
        {
            return OptionValueStatus.Negative;
        }

        var digitsEnd = 0;
        while (digitsEnd < s.Length && (IsAsciiDigit(s[digitsEnd]) || s[digitsEnd] == '.'))
        {
            digitsEnd++;
        }

        var number = s.Substring(0, digitsEnd);
        var suffix = s.Substring(digitsEnd);
        if (number.Length == 0 || !IsAsciiDigit(number[0]) || !IsAsciiDigit(number[number.Length - 1]) || number.IndexOf('.') != number.LastIndexOf('.'))
        {
            return OptionValueStatus.Malformed;
        }

        if (suffix.Length > 0 && suffix[0] == ' ')
        {
            suffix = suffix.Substring(1);
        }

        var shift = 0;
        if (suffix.Length > 0)
        {
            shift = char.ToLowerInvariant(suffix[0]) switch
            {
                'k' => 10,
                'm' => 20,
                'g' => 30,
                't' => 40,
                'p' => 50,
                _ => 0,
            };
            if (shift != 0)
            {
                suffix = suffix.Substring(1);
            }
        }

        if (!(suffix.Length == 0 || string.Equals(suffix, "b", StringComparison.OrdinalIgnoreCase)
            || (shift != 0 && string.Equals(suffix, "ib", StringComparison.OrdinalIgnoreCase))))
        {
            return OptionValueStatus.Malformed;
        }

        // decimal keeps 0.1k exact (102.4 → 102); the syntax is already checked, so a failed parse means too many digits.
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return OptionValueStatus.Overflow;
        }

        if (value > (long.MaxValue >> shift) + 1m)
        {
            return OptionValueStatus.Overflow;
        }

        var total = decimal.Truncate(value * (1L << shift));
        if (total > long.MaxValue)
        {
            return OptionValueStatus.Overflow;
        }

        bytes = (long)total;
        return OptionValueStatus.Ok;
    }

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
}
