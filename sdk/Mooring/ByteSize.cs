using System.Globalization;
using Mooring.Rules;

namespace Mooring;

/// <summary>A size in bytes, written by users as <c>512m</c> or <c>10g</c> (binary units, as docker does).</summary>
/// <param name="Bytes">The number of bytes.</param>
public readonly record struct ByteSize(long Bytes)
{
    /// <summary>Parses <c>4096</c>, <c>512k</c>, <c>512m</c>, <c>10g</c>, <c>1t</c> (case-insensitive; optional
    /// <c>b</c>/<c>ib</c> suffix).</summary>
    /// <param name="text">The text.</param>
    /// <param name="result">The size.</param>
    /// <returns>Whether the text was a valid, non-negative size that fits in 64 bits.</returns>
    public static bool TryParse(string? text, out ByteSize result)
    {
        var status = ByteSizeGrammar.Parse(text, out var bytes);
        result = new ByteSize(bytes);
        return status == OptionValueStatus.Ok;
    }

    /// <summary>The size in the shortest exact unit, e.g. <c>512m</c>.</summary>
    public override string ToString()
    {
        if (Bytes == 0)
        {
            return "0";
        }

        ReadOnlySpan<char> units = ['p', 't', 'g', 'm', 'k'];
        for (var i = 0; i < units.Length; i++)
        {
            var multiplier = 1L << (10 * (units.Length - i));
            if (Bytes % multiplier == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Bytes / multiplier}{units[i]}");
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }
}
