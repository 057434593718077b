using System.Text.Json;
using Mooring.Hosting.Metadata;

namespace Mooring.Protocol;

/// <summary>
/// The answers whose content changes with every request: Get (<c>{"Volume":{…}}</c>), List (<c>{"Volumes":[…]}</c>),
/// Mount and Path (<c>{"Mountpoint":…}</c>). They are written straight from the driver's values through
/// <see cref="JsonBody"/>, so an answer costs one array (its body) and no wire model objects or formatted date strings
/// (issue 11: no allocations in dispatch beyond the request and the response). This is the one owner of their JSON
/// shape; the answers that never change (Activate, Capabilities) and the <c>{"Err"}</c> answers are in
/// <see cref="Replies"/>.
/// </summary>
/// <remarks>
/// A volume is written as the wire has always had it: <c>Name</c>, then <c>Mountpoint</c>, <c>CreatedAt</c> and
/// <c>Status</c>, each left out when it has no value (an empty Mountpoint from Get or List means "not mounted").
/// <c>CreatedAt</c> is RFC 3339 (dockerd decodes it into Go's <c>time.Time</c>, so an empty string would fail the
/// whole response).
/// </remarks>
internal static class VolumeAnswers
{
    private static readonly JsonEncodedText VolumeField = JsonEncodedText.Encode("Volume");
    private static readonly JsonEncodedText VolumesField = JsonEncodedText.Encode("Volumes");
    private static readonly JsonEncodedText NameField = JsonEncodedText.Encode("Name");
    private static readonly JsonEncodedText MountpointField = JsonEncodedText.Encode("Mountpoint");
    private static readonly JsonEncodedText CreatedAtField = JsonEncodedText.Encode("CreatedAt");
    private static readonly JsonEncodedText StatusField = JsonEncodedText.Encode("Status");

    /// <summary><c>{"Volume":{…}}</c>, the answer to Get.</summary>
    /// <param name="volume">The driver's answer, already checked.</param>
    /// <returns>A 200 answer.</returns>
    public static PluginResponse Volume(VolumeInfo volume) => Replies.Json(volume, static (writer, volume) =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName(VolumeField);
        WriteVolume(writer, volume);
        writer.WriteEndObject();
    });

    /// <summary><c>{"Volumes":[…]}</c>, the answer to List.</summary>
    /// <param name="volumes">The driver's answer, already checked.</param>
    /// <returns>A 200 answer.</returns>
    public static PluginResponse Volumes(IReadOnlyList<VolumeInfo> volumes) => Replies.Json(volumes, static (writer, volumes) =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray(VolumesField);
        for (var i = 0; i < volumes.Count; i++)
        {
            WriteVolume(writer, volumes[i]);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary><c>{"Mountpoint":…}</c>, the answer to Mount and to Path of a mounted volume.</summary>
    /// <param name="mountpoint">The driver's answer, already checked.</param>
    /// <returns>A 200 answer.</returns>
    public static PluginResponse Mountpoint(string mountpoint) => Replies.Json(mountpoint, static (writer, mountpoint) =>
    {
        writer.WriteStartObject();
        writer.WriteString(MountpointField, mountpoint);
        writer.WriteEndObject();
    });

    private static void WriteVolume(Utf8JsonWriter writer, VolumeInfo volume)
    {
        writer.WriteStartObject();
        writer.WriteString(NameField, volume.Name);
        if (!string.IsNullOrEmpty(volume.Mountpoint))
        {
            writer.WriteString(MountpointField, volume.Mountpoint);
        }

        if (volume.CreatedAt is { } created)
        {
            // Formatted on the stack: a string would be a second allocation per volume.
            Span<byte> text = stackalloc byte[Rfc3339.MaxBytes];
            writer.WriteString(CreatedAtField, text[..Rfc3339.FormatUtc(created, text)]);
        }

        if (volume.Status is { } status)
        {
            writer.WriteStartObject(StatusField);
            foreach (var (key, value) in status)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
