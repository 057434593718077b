using System.Globalization;

namespace Mooring.Rules;

/// <summary>
/// Whole numbers for <c>int</c> and <c>long</c> options and settings: an optional sign and ASCII digits, nothing else
/// (no spaces, no thousands separators), read the same on every machine whatever its culture.
/// </summary>
/// <remarks>One source file compiled into the generator (a setting's <c>Default</c>) and the runtime (the values users
/// give), so a default the generator accepts is one the plugin accepts at start-up.</remarks>
internal static class IntegerGrammar
{
    /// <summary>What a value must be, for messages.</summary>
    public const string Expected = "a whole number such as 1000";

    /// <summary>Parses a 32-bit whole number; <see cref="OptionValueStatus.Overflow"/> when it is out of range.</summary>
    public static OptionValueStatus ParseInt32(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? OptionValueStatus.Ok : Failure(text);

    /// <summary>Parses a 64-bit whole number; <see cref="OptionValueStatus.Overflow"/> when it is out of range.</summary>
    public static OptionValueStatus ParseInt64(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? OptionValueStatus.Ok : Failure(text);

    // A failed parse of a well-formed number can only mean it is out of range.
    private static OptionValueStatus Failure(string text)
    {
        var start = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        if (start == text.Length)
        {
            return OptionValueStatus.Malformed;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return OptionValueStatus.Malformed;
            }
        }

        return OptionValueStatus.Overflow;
    }
}
