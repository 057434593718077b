using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Mooring.Protocol;

/// <summary>
/// Checks a raw request body and turns it into a request model of the management socket, or into a message that says
/// exactly what is wrong with it (sent back as 400 + <c>{"Err"}</c>). The body is JSON whatever the Content-Type: dockerd
/// sends none. VolumeDriver requests are read by <see cref="VolumeRequestReader"/> after the same checks.
/// </summary>
internal static class RequestReader
{
    /// <summary>Parses <paramref name="body"/>; on failure <paramref name="error"/> explains why.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="typeInfo">The request model.</param>
    /// <param name="expectedFields">The fields the endpoint needs, for messages (e.g. <c>'Name' and 'ID'</c>).</param>
    /// <param name="request">The parsed request.</param>
    /// <param name="error">Why the body was rejected.</param>
    public static bool TryRead<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, string expectedFields, [NotNullWhen(true)] out T? request, [NotNullWhen(false)] out string? error)
        where T : class
    {
        request = null;
        if (!TryCheck(body.Span, expectedFields, out error))
        {
            return false;
        }

        try
        {
            request = JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            error = DescribeShapeError(ex, typeInfo, body.Span);
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // The reader refuses some well-formed input while materialising strings (e.g. an escaped lone surrogate).
            error = $"request body could not be read: {ex.Message}";
            return false;
        }

        if (request is null)
        {
            error = "request body must be a JSON object, got null";
            return false;
        }

        return true;
    }

    // JSON's whitespace.
    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <summary>The reader settings of every request body: no comments, at most 16 levels deep.</summary>
    public static JsonReaderOptions Options { get; } = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    /// <summary>Checks what every request body must be before its fields are read: not empty, UTF-8, one JSON object
    /// and nothing after it. <see cref="VolumeRequestReader"/> reads the fields of bodies that pass.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="expectedFields">The fields the endpoint needs, for messages.</param>
    /// <param name="error">Why the body was rejected.</param>
    /// <returns>Whether the body passed.</returns>
    public static bool TryCheck(ReadOnlySpan<byte> body, string expectedFields, [NotNullWhen(false)] out string? error)
    {
        if (IsBlank(body))
        {
            // dockerd retries a failed call with an empty body when its buffer was already drained (docs/protocol.md §1.8).
            error = $"request body is empty: expected a JSON object with {expectedFields}";
            return false;
        }

        if (!Utf8.IsValid(body))
        {
            error = "request body is not valid UTF-8";
            return false;
        }

        return TryCheckSyntax(body, out error);
    }

    /// <summary>Whether a body is empty or only whitespace (List and Capabilities accept that as <c>{}</c>).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> body) => body.Trim(Whitespace).IsEmpty;

    /// <summary>Whether a body is blank or <c>{}</c>: what List and Capabilities carry (dockerd sends <c>{}</c>).</summary>
    public static bool IsBlankOrEmptyObject(ReadOnlySpan<byte> body)
    {
        var trimmed = body.Trim(Whitespace);
        return trimmed.IsEmpty || trimmed.SequenceEqual("{}"u8);
    }

    // A reader pass first separates "this is not JSON" from "this JSON has the wrong shape"; the bodies are tiny.
    private static bool TryCheckSyntax(ReadOnlySpan<byte> body, [NotNullWhen(false)] out string? error)
    {
        var reader = new Utf8JsonReader(body, Options);
        try
        {
            if (!reader.Read())
            {
                error = "request body is empty: expected a JSON object";
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"request body must be a JSON object, got {Describe(reader.TokenType)}";
                return false;
            }

            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            error = $"request body is not valid JSON: {ex.Message}";
            return false;
        }

        error = null;
        return true;
    }

    private static string DescribeShapeError(JsonException ex, JsonTypeInfo typeInfo, ReadOnlySpan<byte> body)
    {
        var field = TopLevelField(ex.Path);
        if (field is not null)
        {
            foreach (var property in typeInfo.Properties)
            {
                if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase))
                {
                    // A string where a string belongs that still failed could not be materialised, e.g. an escaped
                    // lone surrogate ("\ud800"), which no file system can store.
                    if (property.PropertyType == typeof(string) && TopLevelToken(body, property.Name) == JsonTokenType.String)
                    {
                        return $"field '{property.Name}' could not be read: {ex.InnerException?.Message ?? ex.Message}";
                    }

                    return property.PropertyType == typeof(string)
                        ? $"field '{property.Name}' must be a string"
                        : $"field '{property.Name}' must be an object whose values are strings";
                }
            }
        }

        return $"request body does not have the expected shape: {ex.Message}";
    }

    // The token type of the last top-level property matching `name` case-insensitively (the one the serializer keeps).
    private static JsonTokenType TopLevelToken(ReadOnlySpan<byte> body, string name)
    {
        var reader = new Utf8JsonReader(body);
        var found = JsonTokenType.None;
        try
        {
            found = FindTopLevelToken(ref reader, name);
        }
        catch (InvalidOperationException)
        {
            // A property name that cannot be materialised either; the generic message will do.
        }

        return found;
    }

    private static JsonTokenType FindTopLevelToken(ref Utf8JsonReader reader, string name)
    {
        var found = JsonTokenType.None;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var matches = string.Equals(reader.GetString(), name, StringComparison.OrdinalIgnoreCase);
                reader.Read();
                if (matches)
                {
                    found = reader.TokenType;
                }

                reader.Skip();
            }
        }

        return found;
    }

    // "$.Opts.size" → "Opts"; "$['Name']" → "Name"; "$" → null.
    private static string? TopLevelField(string? path)
    {
        if (path is null || !path.StartsWith('$') || path.Length < 2)
        {
            return null;
        }

        if (path[1] == '.')
        {
            var rest = path.AsSpan(2);
            var end = rest.IndexOfAny('.', '[');
            return (end < 0 ? rest : rest[..end]).ToString();
        }

        if (path.StartsWith("$['", StringComparison.Ordinal))
        {
            var end = path.IndexOf("']", 3, StringComparison.Ordinal);
            return end < 0 ? null : path[3..end];
        }

        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
