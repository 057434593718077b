using System.Text.Json;
using Mooring.Oci.Archives;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;

namespace Mooring.Build.Push;

/// <summary>
/// <see cref="PluginPackage.BuildAsync"/> with a cache in the intermediate directory: when the plugin directory's fingerprint
/// matches the last build, the layer file and its digests are reused (the layer is the only expensive part).
/// </summary>
internal static class CachedPluginImage
{
    private const string LayerFileName = "layer.tar.gz";
    private const string StampFileName = "layer.json";

    /// <summary>The image, and whether the layer came from the cache.</summary>
    public static async Task<(PluginImage Image, bool Reused)> BuildAsync(string pluginDirectory, string workDirectory, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var configPath = Path.Combine(pluginDirectory, PluginPackage.ConfigFileName);
        if (!File.Exists(configPath) || !Directory.Exists(Path.Combine(pluginDirectory, PluginPackage.RootfsDirectoryName)))
        {
            // Let Mooring.Oci say what is missing, with its error code.
            return (await PluginPackage.BuildAsync(pluginDirectory, workDirectory, timestamp, cancellationToken).ConfigureAwait(false), false);
        }

        Directory.CreateDirectory(workDirectory);
        var fingerprint = PluginDirectoryFingerprint.Compute(pluginDirectory, timestamp);
        var layerPath = Path.Combine(workDirectory, LayerFileName);
        var stampPath = Path.Combine(workDirectory, StampFileName);
        if (TryReadStamp(stampPath, fingerprint, layerPath) is { } layer)
        {
            var configJson = await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false);
            return (PluginPackage.Assemble(layer, configJson), true);
        }

        File.Delete(stampPath);
        var image = await PluginPackage.BuildAsync(pluginDirectory, workDirectory, timestamp, cancellationToken).ConfigureAwait(false);
        WriteStamp(stampPath, fingerprint, image.Layer);
        return (image, false);
    }

    private static LayerBlob? TryReadStamp(string stampPath, string fingerprint, string layerPath)
    {
        if (!File.Exists(stampPath) || !File.Exists(layerPath))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(stampPath));
            var root = json.RootElement;
            if (root.GetProperty("fingerprint").GetString() != fingerprint
                || root.GetProperty("size").GetInt64() != new FileInfo(layerPath).Length)
            {
                return null;
            }

            var digest = root.GetProperty("digest").GetString();
            var diffId = root.GetProperty("diffId").GetString();
            var mediaType = root.GetProperty("mediaType").GetString();
            return Digests.IsValid(digest) && Digests.IsValid(diffId) && !string.IsNullOrEmpty(mediaType)
                ? new LayerBlob(layerPath, digest!, root.GetProperty("size").GetInt64(), diffId!, mediaType)
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null; // A damaged stamp only costs a rebuild.
        }
    }

    private static void WriteStamp(string stampPath, string fingerprint, LayerBlob layer)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", fingerprint);
            writer.WriteString("digest", layer.Digest);
            writer.WriteString("diffId", layer.DiffId);
            writer.WriteNumber("size", layer.Size);
            writer.WriteString("mediaType", layer.MediaType);
            writer.WriteEndObject();
        }

        File.WriteAllBytes(stampPath, stream.ToArray());
    }
}
