using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.State;

/// <summary>The on-disk form of a <see cref="VolumeRecord"/>:
/// <c>{"version":1,"name":…,"createdAt":…,"options":{…},"properties":{…},"phase":…}</c>.</summary>
internal sealed class VolumeRecordFile : IStateFile
{
    /// <inheritdoc/>
    public int Version { get; set; }

    /// <inheritdoc/>
    public string? Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The <c>-o</c> options; a <see langword="null"/> value makes the file unusable (VolumeStateStore).</summary>
    public IReadOnlyDictionary<string, string?>? Options { get; set; }

    /// <summary>The driver's properties; a <see langword="null"/> value makes the file unusable.</summary>
    public IReadOnlyDictionary<string, string?>? Properties { get; set; }

    /// <summary>
    /// <c>creating</c> or <c>removing</c>; absent for a ready volume, so files of ready volumes stay byte-identical to
    /// those written before phases existed and older plugins (which skip unknown members) still read them.
    /// </summary>
    public string? Phase { get; set; }

    /// <inheritdoc/>
    public void ReadField(ref Utf8JsonReader reader, string name)
    {
        switch (name)
        {
            case "createdAt":
                CreatedAt = JsonFields.DateTimeOffset(ref reader, name) ?? throw JsonFields.Wrong(name, "a date and time, not null");
                break;
            case "options":
                Options = JsonFields.StringMap(ref reader, name);
                break;
            case "properties":
                Properties = JsonFields.StringMap(ref reader, name);
                break;
            case "phase":
                Phase = JsonFields.String(ref reader, name);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    /// <inheritdoc/>
    public void WriteFields(Utf8JsonWriter writer)
    {
        // Raw, in quotes of its own: a string value would go through the writer's encoder, which escapes the offset's '+'.
        Span<byte> createdAt = stackalloc byte[Rfc3339.MaxBytes + 2];
        var length = Rfc3339.Format(CreatedAt, createdAt[1..]);
        createdAt[0] = createdAt[length + 1] = (byte)'"';
        writer.WritePropertyName("createdAt");
        writer.WriteRawValue(createdAt[..(length + 2)], skipInputValidation: true);
        JsonFields.WriteStringMap(writer, "options", Options);
        JsonFields.WriteStringMap(writer, "properties", Properties);
        if (Phase is not null)
        {
            writer.WriteString("phase", Phase);
        }
    }
}
