namespace Mooring.Options;

/// <summary>
/// The byte-size grammar docker uses for <c>--shm-size</c> and <c>-o size=</c> (go-units <c>RAMInBytes</c>): a decimal
/// number, an optional space, an optional unit k/m/g/t/p in powers of 1024, then an optional <c>i</c> and <c>b</c>.
/// A fractional result is truncated, as docker does (<c>0.1k</c> is 102 bytes).
/// </summary>
internal static class ByteSizeParser
{
    internal enum Status
    {
        Ok,
        Malformed,
        Negative,
        Overflow,
    }

    public static Status Parse(string? text, out long bytes)
    {
        bytes = 0;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return Status.Malformed;
        }

        if (s[0] == '-')
        {
            return Status.Negative;
        }

        var digitsEnd = 0;
        while (digitsEnd < s.Length && (char.IsAsciiDigit(s[digitsEnd]) || s[digitsEnd] == '.'))
        {
            digitsEnd++;
        }

        var number = s[..digitsEnd];
        var suffix = s[digitsEnd..];
        if (!char.IsAsciiDigit(number.IsEmpty ? ' ' : number[0]) || !char.IsAsciiDigit(number[^1]) || number.Count('.') > 1)
        {
            return Status.Malformed;
        }

        if (!suffix.IsEmpty && suffix[0] == ' ')
        {
            suffix = suffix[1..];
        }

        var shift = 0;
        if (!suffix.IsEmpty)
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
                suffix = suffix[1..];
            }
        }

        if (!(suffix.IsEmpty || suffix.Equals("b", StringComparison.OrdinalIgnoreCase)
            || (shift != 0 && suffix.Equals("ib", StringComparison.OrdinalIgnoreCase))))
        {
            return Status.Malformed;
        }

        // decimal keeps 0.1k exact (102.4 → 102); the syntax is already checked, so a failed parse means too many digits.
        if (!decimal.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return Status.Overflow;
        }

        if (value > (long.MaxValue >> shift) + 1m)
        {
            return Status.Overflow;
        }

        var total = decimal.Truncate(value * (1L << shift));
        if (total > long.MaxValue)
        {
            return Status.Overflow;
        }

        bytes = (long)total;
        return Status.Ok;
    }
}
