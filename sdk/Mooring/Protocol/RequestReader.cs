using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Mooring.Protocol;

/// <summary>
/// Checks a raw request body and turns it into a request model of the management socket, or into a message that says
/// exactly what is wrong with it (sent back as 400 + <c>{"Err"}</c>). The body is JSON whatever the Content-Type: dockerd
/// sends none. VolumeDriver requests are read by <see cref="VolumeRequestReader"/> after the same checks.
/// </summary>
internal static class RequestReader
{
    /// <summary>Checks <paramref name="body"/> with <see cref="TryCheck"/>, then reads its fields into
    /// <paramref name="request"/>; on failure <paramref name="error"/> explains why.</summary>
    /// <typeparam name="T">The request model.</typeparam>
    /// <param name="body">The raw body.</param>
    /// <param name="expectedFields">The fields the endpoint needs, for messages (e.g. <c>'volume' and 'id'</c>).</param>
    /// <param name="request">The model the fields are read into.</param>
    /// <param name="field">Reads one field (matching its name as the endpoint's format says) or skips it.</param>
    /// <param name="error">Why the body was rejected.</param>
    /// <returns>Whether the body was read.</returns>
    public static bool TryRead<T>(ReadOnlySpan<byte> body, string expectedFields, T request, PropertyReader<T> field, [NotNullWhen(false)] out string? error)
    {
        if (!TryCheck(body, expectedFields, out error))
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, Options);
        reader.Read();
        try
        {
            JsonFields.Object(ref reader, "the request body", request, field);
        }
        catch (JsonException ex)
        {
            error = ex.Message; // names the field and what it must be (JsonFields)
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
