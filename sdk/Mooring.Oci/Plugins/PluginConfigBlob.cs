using System.Text.Json;
using Mooring.Oci.Manifests;

namespace Mooring.Oci.Plugins;

/// <summary>Builds the plugin config blob: the plugin's config.json with <c>rootfs</c> set to the layer diff IDs.</summary>
public static class PluginConfigBlob
{
    /// <summary>
    /// Returns <paramref name="configJson"/> with any <c>rootfs</c> property (any casing) replaced by
    /// <c>{"type":"layers","diff_ids":[…]}</c> at the end, written compactly. Other properties keep their order and values, so
    /// the same input always gives the same bytes.
    /// </summary>
    /// <param name="configJson">The plugin's config.json content (a JSON object).</param>
    /// <param name="diffIds">The uncompressed digests of the layers, base first.</param>
    /// <exception cref="OciException">The content is not a JSON object (<see cref="OciErrorCodes.InvalidPluginDirectory"/>).</exception>
    public static byte[] Create(ReadOnlyMemory<byte> configJson, IReadOnlyList<string> diffIds)
    {
        ArgumentNullException.ThrowIfNull(diffIds);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(configJson);
        }
        catch (JsonException e)
        {
            throw new OciException(OciErrorCodes.InvalidPluginDirectory, $"The plugin config.json is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OciException(OciErrorCodes.InvalidPluginDirectory, $"The plugin config.json must be a JSON object, not {root.ValueKind}.");
            }

            // Written with Utf8JsonWriter only (no serializer), so it works where reflection-based JSON is disabled (trimmed hosts).
            return Json.Write(w =>
            {
                w.WriteStartObject();
                foreach (var property in root.EnumerateObject())
                {
                    // Docker decodes config.json case-insensitively, so "RootFS" and "rootfs" are the same field.
                    if (!string.Equals(property.Name, "rootfs", StringComparison.OrdinalIgnoreCase))
                    {
                        property.WriteTo(w);
                    }
                }

                w.WriteStartObject("rootfs");
                w.WriteString("type", "layers");
                w.WriteStartArray("diff_ids");
                foreach (var id in diffIds)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
    }
}
