using System.Globalization;
using System.Text;
using Mooring.Text;

namespace Mooring.Hosting.Control;

/// <summary>Makes text the <c>ctl</c> client did not write (volume names, options, error messages, anything a plugin
/// or dockerd answered) safe to print on a terminal.</summary>
/// <remarks>
/// The rule itself is <see cref="UntrustedText"/> (sdk/Common/UntrustedText.cs, compiled into the runtime and into
/// Mooring.Oci); this class only applies it to a table cell, to lines, and to JSON text. A volume name may legally hold
/// an escape sequence, and an answer could otherwise move the cursor, recolour or clear the terminal, forge extra output
/// lines or reorder what the operator reads.
/// </remarks>
internal static class TerminalText
{
    /// <summary>How much of one untrusted value is kept; the rest is cut with an ellipsis.</summary>
    public const int MaxLength = UntrustedText.MaxLength;

    /// <summary>Escapes <paramref name="text"/> and cuts it at <paramref name="maxLength"/> characters.</summary>
    /// <param name="text">The untrusted text; <see langword="null"/> gives an empty string.</param>
    /// <param name="maxLength">The most characters kept before escaping.</param>
    /// <returns>The printable text.</returns>
    public static string Escape(string? text, int maxLength = MaxLength) => Escape(text, maxLength, escapeBackslash: true);

    /// <summary>Escapes a whole message as a last line of defence, leaving backslashes and the length alone: its
    /// untrusted parts were escaped with <see cref="Escape(string?, int)"/> when it was written (the socket client's
    /// errors), and doubling their backslashes would garble those escapes.</summary>
    /// <param name="message">The message; <see langword="null"/> gives an empty string.</param>
    /// <returns>The printable message.</returns>
    public static string EscapeMessage(string? message) => Escape(message, int.MaxValue, escapeBackslash: false);

    /// <summary>Escapes multi-line text line by line (metrics), keeping its line feeds and dropping carriage returns.
    /// Backslashes are left alone: the Prometheus text format uses them for its own escapes (<c>\"</c>, <c>\n</c>).</summary>
    /// <param name="text">The untrusted text.</param>
    /// <returns>The printable text.</returns>
    public static string EscapeLines(string text) =>
        string.Join('\n', Array.ConvertAll(text.Split('\n'), static line => Escape(line.TrimEnd('\r'), int.MaxValue, escapeBackslash: false)));

    /// <summary>Escapes what <see cref="System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> leaves
    /// raw in JSON text (format characters such as a right-to-left override, line and paragraph separators) as JSON
    /// <c>\uNNNN</c> escapes, so the text stays valid, equal JSON. Line feeds (the indentation's) are kept.</summary>
    /// <param name="json">JSON text written by <see cref="System.Text.Json.Utf8JsonWriter"/>.</param>
    /// <returns>The printable JSON.</returns>
    public static string EscapeJson(string json)
    {
        var builder = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            if (c != '\n' && IsUnsafe(c))
            {
                builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Escape(string? text, int maxLength, bool escapeBackslash) => UntrustedText.Escape(text, maxLength, escapeBackslash);

    private static bool IsUnsafe(char c) => UntrustedText.IsUnsafe(c);
}
