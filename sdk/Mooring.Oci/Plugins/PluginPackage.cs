using System.Formats.Tar;
using Mooring.Oci.Archives;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Plugins;

/// <summary>
/// Packs a Docker managed-plugin directory (<c>config.json</c> + <c>rootfs/</c>) into registry form and pushes it, or writes it
/// as a tar for offline transfer. All outputs are deterministic: the same directory gives the same bytes and digests. This is
/// the one push path: the PluginPush and PluginPack tasks of Mooring.Sdk call it.
/// </summary>
public static class PluginPackage
{
    /// <summary>The config file name inside a plugin directory.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The root file system directory name inside a plugin directory.</summary>
    public const string RootfsDirectoryName = "rootfs";

    /// <summary>Builds the layer (from <c>rootfs/</c>), the config blob and the manifest.</summary>
    /// <param name="pluginDirectory">A directory with <c>config.json</c> and <c>rootfs/</c>.</param>
    /// <param name="workDirectory">Where to write the layer file (<c>layer.tar.gz</c>).</param>
    /// <param name="timestamp">The entry time; <see langword="null"/> for <see cref="ArchiveTimestamp.Resolve"/>.</param>
    /// <param name="cancellationToken">Stops the build.</param>
    /// <exception cref="OciException">The plugin directory is incomplete or config.json is invalid (<see cref="OciErrorCodes.InvalidPluginDirectory"/>).</exception>
    public static async Task<PluginImage> BuildAsync(string pluginDirectory, string workDirectory, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        (var configPath, var rootfs) = Validate(pluginDirectory);
        var configJson = await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(workDirectory);
        var layer = await LayerBuilder.CreateFromDirectoryAsync(rootfs, Path.Combine(workDirectory, "layer.tar.gz"), timestamp, cancellationToken).ConfigureAwait(false);
        return Assemble(layer, configJson);
    }

    /// <summary>
    /// The plugin image around a built layer: the config blob (config.json plus the layer's diff ID) and the schema-2
    /// manifest. Also what the PluginPush task uses when it reuses a cached layer (Mooring.Build's CachedPluginImage).
    /// </summary>
    internal static PluginImage Assemble(LayerBlob layer, byte[] configJson)
    {
        var config = PluginConfigBlob.Create(configJson, [layer.DiffId]);
        var configDigest = Digests.Sha256(config);
        var manifest = ManifestWriter.CreateSchema2(
            new Descriptor(MediaTypes.PluginConfig, config.Length, configDigest),
            [new Descriptor(layer.MediaType, layer.Size, layer.Digest)]);
        return new PluginImage(layer, config, configDigest, manifest, Digests.Sha256(manifest));
    }

    /// <summary>
    /// Builds the plugin and pushes it under every tag: layer and config blobs (each skipped when the registry has it), then
    /// the manifest once per tag that does not already point at it.
    /// </summary>
    /// <param name="pluginDirectory">A directory with <c>config.json</c> and <c>rootfs/</c>.</param>
    /// <param name="target">The repository to push to; its tag is used when <paramref name="tags"/> is empty.</param>
    /// <param name="tags">Tags to push; empty for the target's tag (or <c>latest</c>).</param>
    /// <param name="options">Registry settings (credentials, insecure registries, progress).</param>
    /// <param name="timestamp">The entry time; <see langword="null"/> for <see cref="ArchiveTimestamp.Resolve"/>.</param>
    /// <param name="cancellationToken">Stops the push.</param>
    /// <returns>The manifest digest and what was uploaded.</returns>
    /// <exception cref="OciException">An invalid plugin directory, or a <see cref="RegistryException"/> from the push.</exception>
    public static async Task<PluginPushResult> PushDirectoryAsync(string pluginDirectory, ImageReference target, IEnumerable<string>? tags = null, RegistryClientOptions? options = null, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default)
    {
        var work = Path.Combine(Path.GetTempPath(), "mooring-push-" + Guid.NewGuid().ToString("N"));
        try
        {
            var image = await BuildAsync(pluginDirectory, work, timestamp, cancellationToken).ConfigureAwait(false);
            return await PushAsync(image, target, tags, options, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>
    /// Pushes a built plugin: layer and config blobs (HEAD first, so unchanged blobs are not sent), then the manifest under
    /// each tag that does not already point at it, so re-pushing an unchanged plugin writes nothing.
    /// </summary>
    /// <param name="image">The output of <see cref="BuildAsync"/>.</param>
    /// <param name="target">The repository to push to; its tag is used when <paramref name="tags"/> is empty.</param>
    /// <param name="tags">Tags to push; empty for the target's tag (or <c>latest</c>).</param>
    /// <param name="options">Registry settings.</param>
    /// <param name="mountFrom">A repository of the same registry to mount blobs from, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the push.</param>
    /// <returns>The manifest digest and what was uploaded.</returns>
    /// <exception cref="RegistryException">The push failed.</exception>
    public static async Task<PluginPushResult> PushAsync(PluginImage image, ImageReference target, IEnumerable<string>? tags = null, RegistryClientOptions? options = null, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(target);
        var tagList = (tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (tagList.Count == 0)
        {
            tagList.Add(target.Tag ?? "latest");
        }

        foreach (var tag in tagList)
        {
            _ = target.WithTag(tag); // validates
        }

        using var client = new RegistryClient(target.Registry, options);
        int uploaded = 0, skipped = 0, mounted = 0;
        foreach (var blob in new[] { image.Layer.ToBlobContent(), BlobContent.FromBytes(image.Config) })
        {
            var outcome = await client.PushBlobAsync(target.Repository, blob, mountFrom, cancellationToken).ConfigureAwait(false);
            _ = outcome switch
            {
                BlobPushOutcome.Uploaded => uploaded++,
                BlobPushOutcome.Skipped => skipped++,
                _ => mounted++,
            };
        }

        var digest = image.ManifestDigest;
        var unchanged = new List<string>();
        foreach (var tag in tagList)
        {
            if (await TagPointsAtAsync(client, target.Repository, tag, image.ManifestDigest, cancellationToken).ConfigureAwait(false))
            {
                unchanged.Add(tag);
                continue;
            }

            digest = await client.PushManifestAsync(target.Repository, tag, image.Manifest, MediaTypes.DockerManifestV2, cancellationToken).ConfigureAwait(false);
        }

        return new PluginPushResult($"{target.Registry}/{target.Repository}", digest, tagList, uploaded, skipped, mounted, unchanged);
    }

    /// <summary>True when the tag already resolves to <paramref name="digest"/>; any registry failure just means "push it".</summary>
    private static async Task<bool> TagPointsAtAsync(RegistryClient client, string repository, string tag, string digest, CancellationToken cancellationToken)
    {
        try
        {
            // With the push scope: the token the blob uploads got serves this read too.
            var existing = await client.GetManifestAsync(repository, tag, forPush: true, cancellationToken).ConfigureAwait(false);
            return existing.Digest == digest;
        }
        catch (RegistryException)
        {
            // Not found (a new tag) or not readable with push-only rights: the PUT decides.
            return false;
        }
    }

    /// <summary>
    /// Writes the plugin directory (<c>config.json</c> and <c>rootfs/</c>, nothing else) as one deterministic, uncompressed tar —
    /// the build context <c>docker plugin create</c> expects — for offline transfer.
    /// </summary>
    /// <param name="pluginDirectory">A directory with <c>config.json</c> and <c>rootfs/</c>.</param>
    /// <param name="outputPath">The tar file to write (replaced if it exists).</param>
    /// <param name="timestamp">The entry time; <see langword="null"/> for <see cref="ArchiveTimestamp.Resolve"/>.</param>
    /// <param name="cancellationToken">Stops the write (the partial file is deleted).</param>
    /// <returns>The tar file with its digest and size.</returns>
    public static async Task<PluginArchive> CreateArchiveAsync(string pluginDirectory, string outputPath, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        (var configPath, var rootfs) = Validate(pluginDirectory);
        var time = timestamp ?? ArchiveTimestamp.Resolve();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        try
        {
            await using (var file = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await using var tar = new TarWriter(file, TarEntryFormat.Gnu, leaveOpen: true);
                // Ordinal order: "config.json" < "rootfs/" < "rootfs/…".
                await DeterministicTar.WriteFileAsync(tar, ConfigFileName, configPath, time, cancellationToken).ConfigureAwait(false);
                await DeterministicTar.WriteDirectoryEntryAsync(tar, RootfsDirectoryName + "/", rootfs, time, cancellationToken).ConfigureAwait(false);
                await DeterministicTar.WriteTreeAsync(tar, rootfs, RootfsDirectoryName + "/", time, cancellationToken).ConfigureAwait(false);
            }

            var info = new FileInfo(outputPath);
            return new PluginArchive(outputPath, await Digests.Sha256FileAsync(outputPath, cancellationToken).ConfigureAwait(false), info.Length);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }

    private static (string ConfigPath, string Rootfs) Validate(string pluginDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginDirectory);
        if (!Directory.Exists(pluginDirectory))
        {
            throw new OciException(OciErrorCodes.InvalidPluginDirectory, $"The plugin directory '{pluginDirectory}' does not exist.");
        }

        var configPath = Path.Combine(pluginDirectory, ConfigFileName);
        var rootfs = Path.Combine(pluginDirectory, RootfsDirectoryName);
        if (!File.Exists(configPath))
        {
            throw new OciException(OciErrorCodes.InvalidPluginDirectory, $"The plugin directory '{pluginDirectory}' has no {ConfigFileName}; build the plugin config first.");
        }

        if (!Directory.Exists(rootfs))
        {
            throw new OciException(OciErrorCodes.InvalidPluginDirectory, $"The plugin directory '{pluginDirectory}' has no {RootfsDirectoryName}/ directory; assemble the root file system first.");
        }

        return (configPath, rootfs);
    }
}
