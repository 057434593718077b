using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Mooring.Build.Push;
using Mooring.Oci;
using Mooring.Oci.Images;
using Mooring.Oci.References;
using Mooring.Oci.Registry;

namespace Mooring.Build.Tasks;

/// <summary>
/// Starts the plugin rootfs from a base image (PluginBaseImage): pulls it from its registry, flattens its layers (whiteouts
/// applied) into a cache keyed by the manifest digest, and merges it under the assembled rootfs so the app sits on top.
/// A digest-pinned image is pulled once; a tag is re-resolved (one small manifest request) on every build.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PluginBaseImage : RegistryTask
{
    /// <summary>The base image reference (PluginBaseImage), for example <c>127.0.0.1:5000/base:1</c> or <c>debian@sha256:…</c>.</summary>
    [Required]
    public string Image { get; set; } = "";

    /// <summary>The assembled rootfs the base goes under.</summary>
    [Required]
    public string RootfsDirectory { get; set; } = "";

    /// <summary>Where flattened base images are kept between builds.</summary>
    [Required]
    public string CacheDirectory { get; set; } = "";

    /// <summary>The RuntimeIdentifier; picks the architecture from a multi-platform image (linux-arm64 → arm64).</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>The base image pinned to the digest that was used.</summary>
    [Output]
    public string ResolvedImage { get; private set; } = "";

    private protected override string Describe() => "Preparing the base image";

    /// <inheritdoc />
    private protected override string CredentialSource => "PluginBaseImageUsername/PluginBaseImagePassword";

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(Image.Trim(), out var image, out var error))
        {
            throw new OciException(ErrorCodes.BadSetting, $"PluginBaseImage '{Image}' is not a valid image reference: {error}");
        }

        var architecture = PluginArchitecture.FromRuntimeIdentifier(RuntimeIdentifier) ?? BaseImage.DefaultArchitecture;
        // No environmentCredentialsRegistry: MOORING_REGISTRY_* belong to the push registry and never go to the base image's
        // registry (unless MOORING_REGISTRY_HOST names it). The pull uses PluginBaseImageUsername/Password, that host's docker
        // config entry, or nothing.
        var options = CreateOptions(progress: null);

        // The top-level digest (of the index or the manifest) names the cache entry; a pinned reference needs no request.
        var digest = image.Digest ?? await ResolveAsync(image, options, cancellationToken).ConfigureAwait(false);
        var cache = BaseImageCache.PathFor(CacheDirectory, digest, architecture);
        if (BaseImageCache.IsComplete(cache, digest, architecture))
        {
            Info($"Base image {image} ({PushSettings.Short(digest)}) is cached in {cache}.");
        }
        else
        {
            var partial = cache + ".partial-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            try
            {
                Result($"Pulling base image {image} ({architecture}) …");
                var pulled = await BaseImage.PullAndFlattenAsync(image.WithDigest(digest), Path.Combine(partial, "rootfs"), options, architecture, cancellationToken).ConfigureAwait(false);
                await BaseImageCache.MarkCompleteAsync(partial, digest, architecture, pulled.ManifestDigest, cancellationToken).ConfigureAwait(false);
                if (Directory.Exists(cache))
                {
                    Directory.Delete(cache, recursive: true);
                }

                Directory.Move(partial, cache);
                Info($"Flattened {pulled.LayerDigests.Count} layer(s) of {pulled.Reference} into {cache}.");
            }
            finally
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }
        }

        var added = RootfsMerger.MergeUnder(Path.Combine(cache, "rootfs"), RootfsDirectory);
        ResolvedImage = image.WithDigest(digest).ToString();
        Info($"Base image {ResolvedImage} under {RootfsDirectory}: {added} entries added below the app.");
    }

    private static async Task<string> ResolveAsync(ImageReference image, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        using var client = new RegistryClient(image.Registry, options);
        return (await client.GetManifestAsync(image.Repository, image.ManifestReference, cancellationToken).ConfigureAwait(false)).Digest;
    }
}
