using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mooring.Testing;

/// <summary>
/// Reads plugin answers with Go encoding/json semantics as dockerd applies them: field names match
/// case-insensitively, unknown fields are ignored, <c>null</c> leaves a field at its zero value, a type mismatch fails
/// the decode, and <c>CreatedAt</c> must be RFC 3339 (Go's <c>time.Time</c>).
/// </summary>
internal static partial class GoJsonDecoder
{
    public static bool TryParse(byte[] body, out JsonElement root, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            root = default;
            error = $"invalid character in JSON answer: {ex.Message}";
            return false;
        }
    }

    /// <summary>Finds a field the way Go does: an exact match first, then a case-insensitive one.</summary>
    public static bool TryGetField(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var found = false;
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                value = property.Value;
                return true;
            }

            if (!found && string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                found = true;
            }
        }

        return found;
    }

    /// <summary>A Go <c>string</c> field: absent or null → <see langword="null"/>; another type → an error.</summary>
    public static string? GetString(JsonElement obj, string name, ref string? error)
    {
        if (!TryGetField(obj, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error ??= $"json: cannot unmarshal {Kind(value)} into Go struct field .{name} of type string";
            return null;
        }

        return value.GetString();
    }

    public static DockerVolume? ReadVolume(JsonElement element, ref string? error)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error ??= $"json: cannot unmarshal {Kind(element)} into Go value of type volume";
            return null;
        }

        var name = GetString(element, "Name", ref error) ?? string.Empty;
        var mountpoint = GetString(element, "Mountpoint", ref error);
        string? createdText = null;
        DateTimeOffset? created = null;
        if (TryGetField(element, "CreatedAt", out var createdElement) && createdElement.ValueKind != JsonValueKind.Null)
        {
            if (createdElement.ValueKind != JsonValueKind.String)
            {
                error ??= $"json: cannot unmarshal {Kind(createdElement)} into Go struct field .CreatedAt of type time.Time";
            }
            else
            {
                createdText = createdElement.GetString()!;
                if (Rfc3339().IsMatch(createdText)
                    && DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                {
                    created = parsed;
                }
                else
                {
                    error ??= $"parsing time \"{createdText}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse";
                }
            }
        }

        Dictionary<string, JsonElement>? status = null;
        if (TryGetField(element, "Status", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null)
        {
            if (statusElement.ValueKind != JsonValueKind.Object)
            {
                error ??= $"json: cannot unmarshal {Kind(statusElement)} into Go struct field .Status of type map[string]interface {{}}";
            }
            else
            {
                status = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in statusElement.EnumerateObject())
                {
                    status[property.Name] = property.Value.Clone();
                }
            }
        }

        return new DockerVolume(name) { Mountpoint = mountpoint, CreatedAtText = createdText, CreatedAt = created, Status = status };
    }

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
