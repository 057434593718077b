using System.Globalization;
using System.Text;

namespace Mooring.Testing;

/// <summary>
/// Writes request bodies byte for byte as dockerd's Go <c>json.Encoder</c> does: struct fields in declaration order,
/// map keys sorted, HTML-safe escapes (<c>\u003c</c>, <c>\u003e</c>, <c>\u0026</c>), <c>\u2028</c>/<c>\u2029</c>
/// escaped, invalid UTF-16 replaced with U+FFFD, and a trailing newline.
/// </summary>
internal static class GoJsonEncoder
{
    public static byte[] Encode(Action<StringBuilder> writeObject)
    {
        var builder = new StringBuilder(64);
        writeObject(builder);
        builder.Append('\n');
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static void String(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("\\ufffd");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>A Go <c>map[string]string</c>: <c>null</c> when nil, keys sorted by their UTF-8 bytes.</summary>
    public static void StringMap(StringBuilder builder, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            builder.Append("null");
            return;
        }

        var keys = map.Keys.ToArray();
        Array.Sort(keys, static (a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
        builder.Append('{');
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            String(builder, keys[i]);
            builder.Append(':');
            String(builder, map[keys[i]]);
        }

        builder.Append('}');
    }
}
