using System.Text.Json;
using Mooring.Oci.Archives;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Text;

namespace Mooring.Oci.Images;

/// <summary>Pulls an image from a registry and flattens its layers into a directory (a plugin rootfs built on a base image).</summary>
public static class BaseImage
{
    /// <summary>The operating system picked from a multi-platform index.</summary>
    public const string Os = "linux";

    /// <summary>The architecture picked from a multi-platform index by default.</summary>
    public const string DefaultArchitecture = "amd64";

    // Image configs are a few KiB; the bound keeps a hostile one from being buffered without limit.
    private const long MaxConfigBytes = 8L << 20;

    private static readonly HashSet<string> LayerTypes = new(StringComparer.Ordinal)
    {
        MediaTypes.DockerLayerGzip, MediaTypes.DockerLayerTar, MediaTypes.OciLayerGzip, MediaTypes.OciLayerTar,
    };

    /// <summary>
    /// Pulls <paramref name="image"/> (Docker schema2 or OCI manifest; from a manifest list or OCI index the
    /// <c>linux/&lt;architecture&gt;</c> entry) and applies its layers in order onto <paramref name="destination"/>, with whiteouts.
    /// Every blob is held to its descriptor's size and verified against its digest; the layers are bounded by <see cref="LayerLimits.Default"/>.
    /// </summary>
    /// <param name="image">The image, for example <c>127.0.0.1:5000/base:1</c> or <c>alpine:3.20</c>.</param>
    /// <param name="destination">The directory to fill; created if missing. Existing content is treated as a lower layer.</param>
    /// <param name="options">Registry settings.</param>
    /// <param name="architecture">The architecture to pick from an index (<c>amd64</c>, <c>arm64</c>, …).</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    /// <returns>The manifest digest, the config and the layers applied.</returns>
    /// <exception cref="RegistryException">The registry failed.</exception>
    /// <exception cref="OciException">The image is not usable (<see cref="OciErrorCodes.UnsupportedImage"/>) or a layer is unsafe (<see cref="OciErrorCodes.UnsafeArchive"/>).</exception>
    public static Task<PulledImage> PullAndFlattenAsync(ImageReference image, string destination, RegistryClientOptions? options = null, string architecture = DefaultArchitecture, CancellationToken cancellationToken = default) =>
        PullAndFlattenAsync(image, destination, LayerLimits.Default, options, architecture, cancellationToken);

    /// <summary>
    /// Pulls <paramref name="image"/> like <see cref="PullAndFlattenAsync(ImageReference, string, RegistryClientOptions?, string, CancellationToken)"/>,
    /// with the layers bounded by <paramref name="limits"/>. Every blob must match its descriptor's size and digest; a blob
    /// that grows past its declared size is stopped there.
    /// </summary>
    /// <param name="image">The image, for example <c>127.0.0.1:5000/base:1</c> or <c>alpine:3.20</c>.</param>
    /// <param name="destination">The directory to fill; created if missing. Existing content is treated as a lower layer.</param>
    /// <param name="limits">How far the layers may expand, together and each relative to its blob.</param>
    /// <param name="options">Registry settings.</param>
    /// <param name="architecture">The architecture to pick from an index (<c>amd64</c>, <c>arm64</c>, …).</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    /// <returns>The manifest digest, the config and the layers applied.</returns>
    /// <exception cref="RegistryException">The registry failed.</exception>
    /// <exception cref="OciException">The image is not usable (<see cref="OciErrorCodes.UnsupportedImage"/>), a blob does not match its
    /// descriptor (<see cref="OciErrorCodes.DigestMismatch"/>), a layer is unsafe (<see cref="OciErrorCodes.UnsafeArchive"/>) or expands
    /// too far (<see cref="OciErrorCodes.LayerTooLarge"/>).</exception>
    public static async Task<PulledImage> PullAndFlattenAsync(ImageReference image, string destination, LayerLimits limits, RegistryClientOptions? options = null, string architecture = DefaultArchitecture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(limits);
        using var client = new RegistryClient(image.Registry, options);
        var manifest = await client.GetManifestAsync(image.Repository, image.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(manifest.MediaType))
        {
            var digest = PickPlatform(manifest, image, architecture);
            manifest = await client.GetManifestAsync(image.Repository, digest, cancellationToken).ConfigureAwait(false);
        }

        if (!MediaTypes.IsManifest(manifest.MediaType))
        {
            throw new OciException(OciErrorCodes.UnsupportedImage, $"{image} has the manifest type '{manifest.MediaType}', which is not a Docker schema2 or OCI image manifest.");
        }

        (var config, var layers) = ReadManifest(manifest, image);
        if (config.Size > MaxConfigBytes)
        {
            throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} declares a config of {config.Size} bytes; more than {MaxConfigBytes} is not accepted.");
        }

        using var configBuffer = new MemoryStream();
        await CopyBlobAsync(client, image, config, "config", configBuffer, cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(destination);
        var temp = Path.Combine(Path.GetTempPath(), "mooring-pull-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        var budget = new ExpansionBudget(limits);
        try
        {
            foreach (var layer in layers)
            {
                if (!LayerTypes.Contains(layer.MediaType))
                {
                    throw new OciException(OciErrorCodes.UnsupportedImage, $"{image} has a layer {layer.Digest} of type '{UntrustedText.Escape(layer.MediaType)}'; only tar and tar+gzip layers are supported.");
                }

                var layerPath = Path.Combine(temp, layer.Digest.Replace(':', '-'));
                await using (var file = new FileStream(layerPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await CopyBlobAsync(client, image, layer, "layer", file, cancellationToken).ConfigureAwait(false);
                }

                await RootfsFlattener.ApplyLayerAsync(layerPath, destination, budget, $"{layer.Digest} of {image}", cancellationToken).ConfigureAwait(false);
                File.Delete(layerPath);
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return new PulledImage(image.WithDigest(manifest.Digest), manifest.Digest, configBuffer.ToArray(), layers.Select(l => l.Digest).ToList());
    }

    /// <summary>Downloads a blob; the registry client holds it to its descriptor's size and digest.</summary>
    private static async Task CopyBlobAsync(RegistryClient client, ImageReference image, Descriptor blob, string kind, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            await client.CopyBlobAsync(image.Repository, blob, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Step == RegistryStep.GetBlob && e.Code is OciErrorCodes.ResponseTooLarge or OciErrorCodes.DigestMismatch)
        {
            // A pull reports every blob that does not match its descriptor as MOOR2011 and names the image; the client alone
            // tells a longer blob (MOOR2012) from a shorter or different one.
            throw new OciException(OciErrorCodes.DigestMismatch, $"The {kind} of {image} does not match its descriptor. {e.Message}", e);
        }
    }

    private static string PickPlatform(ManifestContent index, ImageReference image, string architecture)
    {
        using var json = Parse(index, image);
        var seen = new List<string>();
        if (json.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in manifests.EnumerateArray())
            {
                if (!entry.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var os = Str(platform, "os") ?? "";
                var arch = Str(platform, "architecture") ?? "";
                seen.Add($"{os}/{arch}");
                if (os == Os && arch == architecture && Str(entry, "digest") is { } digest && Digests.IsValid(digest))
                {
                    return digest;
                }
            }
        }

        throw new OciException(OciErrorCodes.UnsupportedImage,
            $"{image} is a multi-platform index without a {Os}/{architecture} image (it has: {(seen.Count == 0 ? "none" : UntrustedText.Escape(string.Join(", ", seen)))}).");
    }

    private static (Descriptor Config, List<Descriptor> Layers) ReadManifest(ManifestContent manifest, ImageReference image)
    {
        using var json = Parse(manifest, image);
        var root = json.RootElement;
        var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? Str(c, "digest") : null;
        if (!Digests.IsValid(config))
        {
            throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} has no valid config digest.");
        }

        var configDescriptor = new Descriptor(Str(c, "mediaType") ?? "", Size(c, image, "the config"), config!);
        var layers = new List<Descriptor>();
        if (root.TryGetProperty("layers", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var layer in array.EnumerateArray())
            {
                var digest = layer.ValueKind == JsonValueKind.Object ? Str(layer, "digest") : null;
                if (!Digests.IsValid(digest))
                {
                    throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} has a layer without a valid sha256 digest.");
                }

                layers.Add(new Descriptor(Str(layer, "mediaType") ?? "", Size(layer, image, "the layer " + digest), digest!));
            }
        }

        return (configDescriptor, layers);
    }

    /// <summary>A descriptor's <c>size</c>, which both schema2 and OCI require: the download is held to it.</summary>
    private static long Size(JsonElement descriptor, ImageReference image, string what) =>
        descriptor.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var value) && value >= 0
            ? value
            : throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} gives {what} no valid size.");

    private static JsonDocument Parse(ManifestContent manifest, ImageReference image)
    {
        try
        {
            var json = JsonDocument.Parse(manifest.Content);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                json.Dispose();
                throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} is not a JSON object.");
            }

            return json;
        }
        catch (JsonException e)
        {
            // The parser's message can quote the offending character, which the registry chose.
            throw new OciException(OciErrorCodes.UnsupportedImage, $"The manifest of {image} is not valid JSON: {UntrustedText.Escape(e.Message)}", e);
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
