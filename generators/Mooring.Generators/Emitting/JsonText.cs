using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Mooring.Generators.Emitting;

/// <summary>A minimal compact JSON writer: ASCII-only output, so the text survives every encoding it passes through.</summary>
internal sealed class JsonText
{
    private readonly StringBuilder _builder = new();
    private readonly Stack<bool> _first = new();

    public JsonText StartObject(string? name = null) => Open(name, '{');

    public JsonText EndObject() => Close('}');

    public JsonText StartArray(string? name = null) => Open(name, '[');

    public JsonText EndArray() => Close(']');

    public JsonText String(string? name, string value)
    {
        Separator(name);
        WriteString(value);
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
        _first.Push(true);
        return this;
    }

    private JsonText Close(char bracket)
    {
        _first.Pop();
        _builder.Append(bracket);
        return this;
    }

    private void Separator(string? name)
    {
        if (_first.Count > 0)
        {
            if (!_first.Pop())
            {
                _builder.Append(',');
            }

            _first.Push(false);
        }

        if (name is not null)
        {
            WriteString(name);
            _builder.Append(':');
        }
    }

    private void WriteString(string value)
    {
        _builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
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
}
