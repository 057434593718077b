using System.Globalization;
using System.Text;

namespace Mooring.Oci;

/// <summary>
/// Makes untrusted text (tar entry names, link targets) safe to put in a log line or an error message: control
/// characters, bidirectional overrides and backslashes are written as escapes, so a crafted name cannot move the
/// cursor, recolour the terminal, forge a second log line or reorder what the reader sees.
/// </summary>
internal static class DisplayText
{
    /// <summary>The text with every unsafe character escaped (<c>\x1b</c>, <c>\u202e</c>, <c>\\</c>); safe text is returned as is.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape))
        {
            return text ?? "";
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else if (!NeedsEscape(c))
            {
                builder.Append(c);
            }
            else if (c <= 0xff)
            {
                builder.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // C0, DEL and C1 controls, and format characters (bidi overrides and isolates, zero-width joiners).
    private static bool NeedsEscape(char c) =>
        c == '\\' || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
