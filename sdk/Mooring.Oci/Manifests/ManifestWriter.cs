using System.Text.Json;

namespace Mooring.Oci.Manifests;

/// <summary>Writes Docker schema2 manifests with a fixed property order, so the same descriptors always give the same digest.</summary>
public static class ManifestWriter
{
    /// <summary>A Docker image manifest v2 schema 2 (<see cref="MediaTypes.DockerManifestV2"/>).</summary>
    /// <param name="config">The config descriptor (for plugins, media type <see cref="MediaTypes.PluginConfig"/>).</param>
    /// <param name="layers">The layer descriptors, base first.</param>
    /// <returns>The manifest bytes (UTF-8 JSON, no trailing newline).</returns>
    public static byte[] CreateSchema2(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        return Json.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.DockerManifestV2);
            w.WritePropertyName("config");
            WriteDescriptor(w, config);
            w.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(w, layer);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteDescriptor(Utf8JsonWriter w, Descriptor d)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", d.MediaType);
        w.WriteNumber("size", d.Size);
        w.WriteString("digest", d.Digest);
        w.WriteEndObject();
    }
}
