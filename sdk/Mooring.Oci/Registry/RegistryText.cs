using System.Globalization;
using System.Text;

namespace Mooring.Oci;

/// <summary>
/// Makes text that came from a registry (error messages, reason phrases, token service answers, echoed headers) safe to put
/// in an exception message, a build log or a terminal.
/// </summary>
public static class RegistryText
{
    /// <summary>How much registry text a message keeps; the rest is cut with an ellipsis.</summary>
    public const int MaxLength = 500;

    /// <summary>
    /// Escapes control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides as <c>\xNN</c> or
    /// <c>\u{NNNN}</c>, and cuts the text at <paramref name="maxLength"/> characters. A registry could otherwise move the cursor,
    /// recolour or clear a terminal, forge extra log lines, or reorder what a reader sees.
    /// </summary>
    /// <param name="text">Text from a registry; <see langword="null"/> gives an empty string.</param>
    /// <param name="maxLength">The most characters kept before escaping.</param>
    public static string Escape(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        bool cut = text.Length > maxLength;
        var source = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        var builder = new StringBuilder(source.Length + 8);
        foreach (char c in source)
        {
            if (c < 0x20 || c is '\u007f')
            {
                builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (char.IsControl(c) || IsInvisibleFormatting(c))
            {
                builder.Append("\\u{").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)).Append('}');
            }
            else
            {
                builder.Append(c);
            }
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }

    /// <summary>Escapes <paramref name="text"/> and removes every form of the secrets in it (see <see cref="RegistryCredentials.Redact"/>).</summary>
    internal static string Clean(string? text, RegistryCredentials? credentials, IEnumerable<string> tokens)
    {
        // Redact before cutting, so a secret that straddles the cut cannot leave a readable prefix.
        string redacted = credentials?.Redact(text ?? "") ?? text ?? "";
        foreach (string token in tokens)
        {
            if (token.Length >= RegistryCredentials.MinRedactedLength)
            {
                redacted = redacted.Replace(token, RegistryCredentials.Mask, StringComparison.Ordinal);
            }
        }

        return Escape(redacted);
    }

    // Bidi embeddings/overrides/isolates and the line/paragraph separators: invisible, but they change what a terminal shows.
    private static bool IsInvisibleFormatting(char c) =>
        c is '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
