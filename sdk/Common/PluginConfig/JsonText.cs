using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mooring.PluginConfiguration;

/// <summary>
/// A minimal forward-only JSON writer in one of two <see cref="JsonTextStyle"/>s. It has no dependency beyond the BCL of
/// netstandard2.0, because the source generator cannot load System.Text.Json.
/// </summary>
internal sealed class JsonText
{
    private const int IndentSize = 2;

    private readonly StringBuilder _builder = new();

    // One entry per open object or array: true while it has no member yet.
    private readonly Stack<bool> _empty = new();
    private readonly JsonTextStyle _style;

    public JsonText(JsonTextStyle style) => _style = style;

    public JsonText StartObject(string? name = null) => Open(name, '{');

    public JsonText EndObject() => Close('}');

    public JsonText StartArray(string? name = null) => Open(name, '[');

    public JsonText EndArray() => Close(']');

    /// <summary>A string, or JSON null when <paramref name="value"/> is null.</summary>
    public JsonText String(string? name, string? value)
    {
        Separator(name);
        if (value is null)
        {
            _builder.Append("null");
        }
        else
        {
            WriteString(value);
        }

        return this;
    }

    public JsonText Bool(string name, bool value)
    {
        Separator(name);
        _builder.Append(value ? "true" : "false");
        return this;
    }

    public JsonText Strings(string name, IEnumerable<string> values)
    {
        StartArray(name);
        foreach (var value in values)
        {
            String(null, value);
        }

        return EndArray();
    }

    public override string ToString() => _builder.ToString();

    private JsonText Open(string? name, char bracket)
    {
        Separator(name);
        _builder.Append(bracket);
        _empty.Push(true);
        return this;
    }

    private JsonText Close(char bracket)
    {
        // An empty container stays on one line ("[]"), as System.Text.Json writes it.
        if (!_empty.Pop())
        {
            NewLine();
        }

        _builder.Append(bracket);
        return this;
    }

    private void Separator(string? name)
    {
        if (_empty.Count > 0)
        {
            if (!_empty.Pop())
            {
                _builder.Append(',');
            }

            _empty.Push(false);
            NewLine();
        }

        if (name is not null)
        {
            WriteString(name);
            _builder.Append(_style == JsonTextStyle.Indented ? ": " : ":");
        }
    }

    private void NewLine()
    {
        if (_style == JsonTextStyle.Indented)
        {
            _builder.Append('\n').Append(' ', _empty.Count * IndentSize);
        }
    }

    private void WriteString(string value)
    {
        _builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                case '\b' when _style == JsonTextStyle.Indented: _builder.Append("\\b"); break;
                case '\f' when _style == JsonTextStyle.Indented: _builder.Append("\\f"); break;
                default:
                    if (_style == JsonTextStyle.Compact ? c is < ' ' or > '~' : MustEscape(value, i))
                    {
                        Escape(IsLoneSurrogate(value, i) && _style == JsonTextStyle.Indented ? '\uFFFD' : c);
                    }
                    else
                    {
                        _builder.Append(c);
                    }

                    break;
            }
        }

        _builder.Append('"');
    }

    private void Escape(char c) =>
        _builder.Append("\\u").Append(((int)c).ToString(_style == JsonTextStyle.Compact ? "x4" : "X4", CultureInfo.InvariantCulture));

    // System.Text.Json's relaxed encoder keeps printable text and escapes what a reader could mistake or lose: controls,
    // every surrogate (a pair becomes two escapes), private-use and unassigned code points, line and paragraph separators,
    // spaces other than U+0020, and the byte order mark. A lone surrogate becomes U+FFFD, as there.
    private static bool MustEscape(string value, int index)
    {
        var c = value[index];
        if (c is >= ' ' and <= '~')
        {
            return false;
        }

        if (c == '\uFEFF')
        {
            return true;
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.SpaceSeparator:
                return true;
            default:
                return false;
        }
    }

    private static bool IsLoneSurrogate(string value, int index)
    {
        var c = value[index];
        return char.IsHighSurrogate(c)
            ? index + 1 >= value.Length || !char.IsLowSurrogate(value[index + 1])
            : char.IsLowSurrogate(c) && (index == 0 || !char.IsHighSurrogate(value[index - 1]));
    }
}
