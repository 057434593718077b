using System.Globalization;
using System.Text;

namespace Mooring.Text;

/// <summary>
/// Makes untrusted text (a registry's error messages, reason phrases and token service answers, tar entry names and link
/// targets, media types from a manifest; volume names and plugin answers printed by <c>ctl</c>) safe to put in an
/// exception message, a build log or a terminal.
/// </summary>
/// <remarks>One source file compiled into both the runtime (Mooring) and Mooring.Oci, which must stay free of each
/// other's dependencies — the way dotnet/runtime shares its <c>Common/src</c>: one rule, one owner.</remarks>
internal static class UntrustedText
{
    /// <summary>How much untrusted text a message keeps; the rest is cut with an ellipsis.</summary>
    public const int MaxLength = 500;

    /// <summary>
    /// Escapes control characters (C0, DEL, C1) as <c>\xNN</c>, format characters (bidirectional overrides and isolates,
    /// zero-width characters) and line and paragraph separators as <c>\uNNNN</c>, and a backslash as <c>\\</c>, and cuts the
    /// text at <paramref name="maxLength"/> characters. The text could otherwise move the cursor, recolour or clear a
    /// terminal, forge extra log lines, or reorder what a reader sees; the doubled backslash keeps a literal <c>\x1b</c> in
    /// the text from passing for an escaped one.
    /// </summary>
    /// <param name="text">The untrusted text; <see langword="null"/> gives an empty string.</param>
    /// <param name="maxLength">The most characters kept before escaping.</param>
    public static string Escape(string? text, int maxLength = MaxLength) => Escape(text, maxLength, escapeBackslash: true);

    /// <summary>
    /// Escapes a whole message like <see cref="Escape(string?, int)"/>, as a last line of defence before it is logged, but
    /// leaves backslashes and the length alone: the untrusted parts of the message were escaped when it was written, and
    /// doubling their backslashes would garble those escapes.
    /// </summary>
    /// <param name="message">The message; <see langword="null"/> gives an empty string.</param>
    public static string EscapeMessage(string? message) => Escape(message, int.MaxValue, escapeBackslash: false);

    internal static string Escape(string? text, int maxLength, bool escapeBackslash)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length > maxLength;
        var source = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        var builder = new StringBuilder(source.Length + 16);
        foreach (var c in source)
        {
            if (c == '\\' && escapeBackslash)
            {
                builder.Append(@"\\");
            }
            else if (!IsUnsafe(c))
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

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }

    // C0, DEL and C1 controls; format characters (bidi embeddings, overrides and isolates, the Arabic letter mark,
    // zero-width joiners, soft hyphen); and the line and paragraph separators, which a terminal or log viewer may break on.
    internal static bool IsUnsafe(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
