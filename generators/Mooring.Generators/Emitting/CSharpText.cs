using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Mooring.Generators.Emitting;

/// <summary>Escaping of user text into C# source.</summary>
internal static class CSharpText
{
    /// <summary>A regular string literal, quotes included.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Text placed verbatim inside an interpolated string <c>$"…"</c>: escapes and braces doubled.</summary>
    public static string InInterpolation(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            switch (c)
            {
                case '{': builder.Append("{{"); break;
                case '}': builder.Append("}}"); break;
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
