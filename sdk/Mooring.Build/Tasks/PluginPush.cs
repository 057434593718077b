using System.Diagnostics;
using System.Text.Json;
using Microsoft.Build.Framework;
using Mooring.Build.Push;
using Mooring.Oci;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;

namespace Mooring.Build.Tasks;

/// <summary>
/// Pushes a plugin directory (<c>config.json</c> + <c>rootfs/</c>) to a registry without a Docker daemon: one deterministic
/// layer, the plugin config blob and a schema2 manifest under every tag. Blobs and tags the registry already has are not sent
/// again, so re-pushing an unchanged plugin uploads nothing. The push itself is Mooring.Oci's
/// <see cref="PluginPackage.PushAsync"/>, the same path its tests drive.
/// </summary>
public sealed class PluginPush : RegistryTask
{
    /// <summary>The plugin directory (PluginDirectory).</summary>
    [Required]
    public string PluginDirectory { get; set; } = "";

    /// <summary>Where the layer and its cache stamp live between builds (obj/…/mooring/push).</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = "";

    /// <summary>The registry host and port (PluginRegistry).</summary>
    public string? Registry { get; set; }

    /// <summary>The repository (PluginRepository); empty for <see cref="ProjectName"/> made valid.</summary>
    public string? Repository { get; set; }

    /// <summary>The project name, the default repository.</summary>
    [Required]
    public string ProjectName { get; set; } = "";

    /// <summary>The tag (PluginTag, default the project Version), used when <see cref="Tags"/> is empty.</summary>
    public string? Tag { get; set; }

    /// <summary>Several tags pushed at once (PluginTags).</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>The RuntimeIdentifier the plugin directory was published for; names the architecture of the tag suffix.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>
    /// True to push one tag per architecture: every tag gets "-&lt;architecture&gt;" (1.2.3-amd64, 1.2.3-arm64). Set by the
    /// PluginRuntimeIdentifiers build, because dockerd installs a plugin from a single manifest, never from a manifest list.
    /// </summary>
    public bool TagPerArchitecture { get; set; }

    /// <summary>SOURCE_DATE_EPOCH: seconds since 1970 written into every tar entry; empty for 0.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The name to suggest for <c>docker plugin install --alias</c> (PluginInstallAlias).</summary>
    public string? InstallAlias { get; set; }

    /// <summary>A JSON file to write what was pushed to (digests, tags, bytes sent), for scripts and CI.</summary>
    public string? SummaryFile { get; set; }

    /// <summary>The manifest digest (the same for every tag).</summary>
    [Output]
    public string ManifestDigest { get; private set; } = "";

    /// <summary>The pushed references, <c>registry/repository:tag</c>, one per tag.</summary>
    [Output]
    public string[] PushedReferences { get; private set; } = [];

    /// <summary>The <c>docker plugin install</c> command for the first pushed reference.</summary>
    [Output]
    public string InstallCommand { get; private set; } = "";

    /// <summary>Blob bytes sent to the registry (0 when it had everything).</summary>
    [Output]
    public long BytesUploaded { get; private set; }

    private protected override string Describe() => "Pushing the plugin";

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var repository = PushSettings.Repository(Repository, ProjectName);
        var target = PushSettings.Target(Registry, repository);
        var tags = PushSettings.Tags(Tags, Tag, TagPerArchitecture ? "-" + TagArchitecture() : "");
        var timestamp = PushSettings.Timestamp(SourceDateEpoch);

        var (image, reused) = await CachedPluginImage.BuildAsync(PluginDirectory, IntermediateDirectory, timestamp, cancellationToken).ConfigureAwait(false);
        Info($"Plugin layer {PushSettings.Short(image.Layer.Digest)} ({PushSettings.Size(image.Layer.Size)} compressed){(reused ? ", unchanged since the last build" : "")}; config {PushSettings.Short(image.ConfigDigest)}; manifest {image.ManifestDigest}.");

        var progress = new PushProgressLog(Info, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [image.Layer.Digest] = "layer",
            [image.ConfigDigest] = "config",
        });
        // The environment's credentials belong to the push registry; no other registry ever sees them.
        var options = CreateOptions(progress, target.Registry);
        Info($"Pushing to {target.Registry}/{target.Repository} (tags: {string.Join(", ", tags)}).");

        var pushed = await PluginPackage.PushAsync(image, target, tags, options, mountFrom: null, cancellationToken).ConfigureAwait(false);
        foreach (var tag in pushed.TagsUnchanged)
        {
            Info($"  manifest {PushSettings.Short(image.ManifestDigest)}: {target.Registry}/{target.Repository}:{tag} already points at it, not sent.");
        }

        // Nothing is mounted (no mountFrom): a blob was either sent or already there.
        int uploaded = pushed.BlobsUploaded, skipped = pushed.BlobsSkipped, tagsUnchanged = pushed.TagsUnchanged.Count;

        started.Stop();
        ManifestDigest = image.ManifestDigest;
        BytesUploaded = progress.BytesUploaded;
        PushedReferences = tags.Select(t => $"{target.Registry}/{target.Repository}:{t}").ToArray();

        var alias = string.IsNullOrWhiteSpace(InstallAlias) ? target.Repository[(target.Repository.LastIndexOf('/') + 1)..] : InstallAlias.Trim();
        foreach (var reference in PushedReferences)
        {
            Result($"{ProjectName} -> {reference}@{image.ManifestDigest}");
        }

        Result($"  Sent {BytesUploaded} bytes in {uploaded} blob(s), {skipped} blob(s) already in the registry, {tags.Count - tagsUnchanged} tag(s) updated, in {started.Elapsed.TotalSeconds:0.00} s.");
        InstallCommand = $"docker plugin install --alias {alias} {PushedReferences[0]}";
        Result($"  Install: {InstallCommand}");
        Result("  Keep the same --alias for every install and upgrade: volumes are bound to the plugin's name, so a new tag or name orphans them.");

        if (!string.IsNullOrWhiteSpace(SummaryFile))
        {
            WriteSummary(SummaryFile, target, tags, image, uploaded, skipped, tags.Count - tagsUnchanged, reused, started.Elapsed);
        }
    }

    private string TagArchitecture() => PluginArchitecture.FromRuntimeIdentifier(RuntimeIdentifier)
        ?? throw new OciException(ErrorCodes.BadSetting, $"RuntimeIdentifier '{RuntimeIdentifier}' (from PluginRuntimeIdentifiers) names no architecture Docker knows; use linux-x64 or linux-arm64.");

    private void WriteSummary(string path, ImageReference target, IReadOnlyList<string> tags, PluginImage image, int uploaded, int skipped, int tagsPushed, bool reused, TimeSpan elapsed)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("registry", target.Registry);
            w.WriteString("repository", target.Repository);
            w.WriteStartArray("tags");
            foreach (var tag in tags)
            {
                w.WriteStringValue(tag);
            }

            w.WriteEndArray();
            w.WriteString("manifestDigest", image.ManifestDigest);
            w.WriteString("configDigest", image.ConfigDigest);
            w.WriteString("layerDigest", image.Layer.Digest);
            w.WriteString("layerDiffId", image.Layer.DiffId);
            w.WriteNumber("layerSize", image.Layer.Size);
            w.WriteBoolean("layerReused", reused);
            w.WriteNumber("blobsUploaded", uploaded);
            w.WriteNumber("blobsSkipped", skipped);
            w.WriteNumber("bytesUploaded", BytesUploaded);
            w.WriteNumber("tagsPushed", tagsPushed);
            w.WriteNumber("elapsedMilliseconds", (long)elapsed.TotalMilliseconds);
            w.WriteString("installCommand", InstallCommand);
            w.WriteEndObject();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, stream.ToArray());
    }
}
