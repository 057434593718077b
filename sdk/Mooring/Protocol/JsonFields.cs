using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>
/// Reads one field's value from a <see cref="Utf8JsonReader"/> standing on it, and says what is wrong when it has the
/// wrong type (and writes the maps it reads): the one owner of those rules and messages for every JSON Mooring reads
/// (VolumeDriver and management request bodies, state files, and the answers its <c>ctl</c> client reads). Mooring reads JSON this way instead of
/// through <c>JsonSerializer</c>: the serializer's metadata and converters were a quarter of a plugin binary's types and
/// ~1 ms of every start (docs/footprint.md).
/// </summary>
/// <remarks>
/// Every reader takes the reader on the value's first token and leaves it on the value's last token, as
/// <see cref="Utf8JsonReader.Skip"/> does. A <c>null</c> value reads as an absent one, and a field whose name no string
/// can hold (an escaped lone surrogate) is skipped like any field the format does not name. Problems are thrown as
/// <see cref="JsonException"/> whose message is what the user sees, e.g. <c>field 'Name' must be a string</c>.
/// </remarks>
internal static class JsonFields
{
    /// <summary>Reads a string, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The string.</returns>
    public static string? String(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => Text(ref reader, field),
        _ => throw Wrong(field, "a string"),
    };

    /// <summary>Reads a whole number that fits an <see cref="int"/>, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The number.</returns>
    public static int? Int32(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        _ => throw Wrong(field, "a whole number"),
    };

    /// <summary>Reads a number, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The number.</returns>
    public static double? Double(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetDouble(out var value) => value,
        _ => throw Wrong(field, "a number"),
    };

    /// <summary>Reads <c>true</c> or <c>false</c>, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The value.</returns>
    public static bool? Boolean(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Wrong(field, "true or false"),
    };

    /// <summary>Reads an ISO 8601 date and time (what <see cref="Utf8JsonWriter"/> writes), or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset? DateTimeOffset(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when reader.TryGetDateTimeOffset(out var value) => value,
        _ => throw Wrong(field, "a date and time such as 2026-12-03T10:00:00+00:00"),
    };

    /// <summary>Reads an object whose values are strings (a <c>null</c> value is kept as <see langword="null"/>);
    /// the last of duplicate keys wins, as in Go.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The map, or <see langword="null"/> for <c>null</c>.</returns>
    public static Dictionary<string, string?>? StringMap(ref Utf8JsonReader reader, string field)
    {
        const string Shape = "an object whose values are strings";
        if (!StartObject(ref reader, field, Shape))
        {
            return null;
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Text(ref reader, field);
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => Text(ref reader, field),
                _ => throw Wrong(field, Shape),
            };
        }

        return map;
    }

    /// <summary>Reads an object whose values are whole numbers; the last of duplicate keys wins.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <returns>The map, or <see langword="null"/> for <c>null</c>.</returns>
    public static Dictionary<string, int>? Int32Map(ref Utf8JsonReader reader, string field)
    {
        const string Shape = "an object whose values are whole numbers";
        if (!StartObject(ref reader, field, Shape))
        {
            return null;
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Text(ref reader, field);
            reader.Read();
            map[key] = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw Wrong(field, Shape);
        }

        return map;
    }

    /// <summary>Reads an array, each element with <paramref name="element"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name, for messages.</param>
    /// <param name="element">Reads one element; it receives the reader on the element's first token.</param>
    /// <returns>The elements, or <see langword="null"/> for <c>null</c>.</returns>
    public static List<T>? List<T>(ref Utf8JsonReader reader, string field, ElementReader<T> element)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Wrong(field, "an array");
        }

        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(element(ref reader));
        }

        return list;
    }

    /// <summary>Reads an object: <paramref name="property"/> sees each property, on its value, and must read or skip it.</summary>
    /// <typeparam name="T">What the properties are read into.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="field">The field's name (or what the object is, e.g. <c>the answer</c>), for messages.</param>
    /// <param name="target">What the properties are read into.</param>
    /// <param name="property">Reads one property into <paramref name="target"/>.</param>
    /// <returns>Whether there was an object (<see langword="false"/> for <c>null</c>).</returns>
    public static bool Object<T>(ref Utf8JsonReader reader, string field, T target, PropertyReader<T> property)
    {
        if (!StartObject(ref reader, field, "an object"))
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = NameOrNull(ref reader);
            reader.Read();
            if (name is null)
            {
                reader.Skip(); // a name no string can hold (an escaped lone surrogate) is no field's name
            }
            else
            {
                property(ref reader, name, target);
            }
        }

        return true;
    }

    /// <summary>Reads the one JSON value <paramref name="json"/> holds with <paramref name="read"/>.</summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="json">The text: one value, nothing after it but whitespace.</param>
    /// <param name="read">Reads the value; it receives the reader on the value's first token.</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="JsonException">The text is not JSON, or <paramref name="read"/> refused it.</exception>
    public static T Read<T>(ReadOnlySpan<byte> json, ElementReader<T> read)
    {
        var reader = new Utf8JsonReader(json); // the defaults: no comments, no trailing commas, at most 64 levels
        if (!reader.Read())
        {
            throw new JsonException("the text holds no JSON value");
        }

        var value = read(ref reader);
        reader.Skip(); // a reader that returned on a start token did not read the value
        if (reader.Read())
        {
            throw new JsonException($"the text holds more than one JSON value (at byte {reader.TokenStartIndex})");
        }

        return value;
    }

    /// <summary>Writes a map whose values are strings as an object (a <see langword="null"/> map as <c>null</c>): the
    /// form <see cref="StringMap"/> reads.</summary>
    /// <typeparam name="TValue"><see cref="string"/>, nullable or not.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="field">The field's name.</param>
    /// <param name="map">The map.</param>
    public static void WriteStringMap<TValue>(Utf8JsonWriter writer, string field, IEnumerable<KeyValuePair<string, TValue>>? map)
        where TValue : class?
    {
        if (map is null)
        {
            writer.WriteNull(field);
            return;
        }

        writer.WriteStartObject(field);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value as string);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a map whose values are whole numbers as an object (a <see langword="null"/> map as <c>null</c>):
    /// the form <see cref="Int32Map"/> reads.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="field">The field's name.</param>
    /// <param name="map">The map.</param>
    public static void WriteInt32Map(Utf8JsonWriter writer, string field, IEnumerable<KeyValuePair<string, int>>? map)
    {
        if (map is null)
        {
            writer.WriteNull(field);
            return;
        }

        writer.WriteStartObject(field);
        foreach (var (key, value) in map)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The message for a value of the wrong type.</summary>
    /// <param name="field">The field's name.</param>
    /// <param name="what">What it must be, e.g. <c>a string</c>.</param>
    /// <returns>An exception to throw.</returns>
    /// <remarks>A subject that starts with <c>the </c> (<c>the answer</c>, <c>the request body</c>) is the whole value
    /// and is named as it is; any other is a field's name.</remarks>
    public static JsonException Wrong(string field, string what) =>
        new(field.StartsWith("the ", StringComparison.Ordinal) ? $"{field} must be {what}" : $"field '{field}' must be {what}");

    // The field is absent for null; anything else but an object is refused.
    private static bool StartObject(ref Utf8JsonReader reader, string field, string shape) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.StartObject => true,
        _ => throw Wrong(field, shape),
    };

    private static string? NameOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Text(ref Utf8JsonReader reader, string field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // Well-formed JSON that no string can hold, e.g. an escaped lone surrogate ("\ud800").
            throw new JsonException($"field '{field}' could not be read: {ex.Message}", ex);
        }
    }
}

/// <summary>Reads one JSON value, from its first token to its last.</summary>
/// <typeparam name="T">What is read.</typeparam>
/// <param name="reader">The reader, on the value's first token.</param>
/// <returns>The value.</returns>
internal delegate T ElementReader<T>(ref Utf8JsonReader reader);

/// <summary>Reads or skips one property's value into <paramref name="target"/>.</summary>
/// <typeparam name="T">What the property is read into.</typeparam>
/// <param name="reader">The reader, on the value's first token.</param>
/// <param name="name">The property's name.</param>
/// <param name="target">What the property is read into.</param>
internal delegate void PropertyReader<T>(ref Utf8JsonReader reader, string name, T target);
