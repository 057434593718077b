using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Mooring.Hosting.Metadata;

namespace Mooring.Protocol;

/// <summary>
/// Reads the fields of a VolumeDriver request (<c>Name</c>, <c>ID</c>, <c>Opts</c>) straight from the body with a
/// <see cref="Utf8JsonReader"/>: the name, the ID and the options are all it allocates (issue 11: nothing in dispatch
/// beyond the request and the response; a serialised request model with a nested <c>Opts</c> object cost 624 B,
/// mostly the serializer's read stack). This is the one owner of the request bodies' shape.
/// </summary>
/// <remarks>
/// It reads as Go's encoding/json and the serializer before it did: field names match case-insensitively (dockerd may
/// send any case), the last of duplicate fields wins, unknown fields are ignored, and <c>null</c> is an absent value.
/// The body has already passed <see cref="RequestReader.TryCheck"/>: one JSON object, valid UTF-8, nothing after it.
/// </remarks>
internal static class VolumeRequestReader
{
    // The longest field name ("Name", "Opts").
    private const int MaxFieldName = 4;

    /// <summary>Reads the fields <paramref name="fields"/> names; on failure <paramref name="error"/> says which field is
    /// wrong and how.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="fields">The fields the endpoint reads; others are skipped.</param>
    /// <param name="request">The fields read (a field that is absent or <c>null</c> is <see langword="null"/>).</param>
    /// <param name="error">Why the body was rejected.</param>
    /// <returns>Whether the body was read.</returns>
    public static bool TryRead(ReadOnlySpan<byte> body, RequestFields fields, out VolumeRequest request, [NotNullWhen(false)] out string? error)
    {
        request = default;
        if (!RequestReader.TryCheck(body, Describe(fields), out error))
        {
            return false;
        }

        if (fields == RequestFields.None)
        {
            return true; // List and Capabilities read nothing from the object TryCheck accepted
        }

        string? name = null;
        string? id = null;
        Dictionary<string, string?>? options = null;
        var reader = new Utf8JsonReader(body, RequestReader.Options);
        reader.Read(); // the object's start, which TryCheck saw
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Match(ref reader, fields);
                reader.Read();
                switch (field)
                {
                    case Field.Name:
                        name = JsonFields.String(ref reader, "Name");
                        break;
                    case Field.Id:
                        id = JsonFields.String(ref reader, "ID");
                        break;
                    case Field.Options:
                        options = JsonFields.StringMap(ref reader, "Opts"); // VolumeProtocol.ToOptions reads null as ""
                        break;
                    default:
                        reader.Skip(); // the whole body is in the buffer
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            error = ex.Message; // names the field and what it must be (JsonFields)
            return false;
        }

        request = new(name, id, options);
        return true;
    }

    /// <summary>The fields as the message about an empty body names them.</summary>
    /// <param name="fields">The fields an endpoint reads.</param>
    /// <returns>For example <c>fields 'Name' and 'ID'</c>.</returns>
    public static string Describe(RequestFields fields) => fields switch
    {
        RequestFields.NameAndId => "fields 'Name' and 'ID'",
        RequestFields.None => "no fields",
        _ => "field 'Name'",
    };

    private static Field Match(ref Utf8JsonReader reader, RequestFields fields)
    {
        // The field names are short ASCII: a plain ASCII name is compared from the stack. Anything else (escapes, other
        // letters, some of which fold to ASCII ones) goes through a string, compared as the serializer did.
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && Ascii.IsValid(raw))
        {
            if (raw.Length > MaxFieldName)
            {
                return Field.Other;
            }

            Span<char> name = stackalloc char[MaxFieldName];
            var length = Encoding.ASCII.GetChars(raw, name);
            return Classify(name[..length], fields);
        }

        try
        {
            return reader.GetString() is { } text ? Classify(text, fields) : Field.Other;
        }
        catch (InvalidOperationException)
        {
            return Field.Other; // a name no string can hold (a lone surrogate) is no field's name
        }
    }

    private static Field Classify(ReadOnlySpan<char> name, RequestFields fields)
    {
        if (name.Equals("Name", StringComparison.OrdinalIgnoreCase))
        {
            return Field.Name;
        }

        if (fields == RequestFields.NameAndId && name.Equals("ID", StringComparison.OrdinalIgnoreCase))
        {
            return Field.Id;
        }

        return fields == RequestFields.NameAndOptions && name.Equals("Opts", StringComparison.OrdinalIgnoreCase) ? Field.Options : Field.Other;
    }

    private enum Field
    {
        Other,
        Name,
        Id,
        Options,
    }
}
