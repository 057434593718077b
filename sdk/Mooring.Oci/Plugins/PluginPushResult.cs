using Mooring.Oci.References;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Plugins;

/// <summary>The outcome of <see cref="PluginPackage.PushAsync(PluginImage, ImageReference, IEnumerable{string}?, RegistryClientOptions?, string?, CancellationToken)"/>.</summary>
/// <param name="Repository">The repository pushed to, without tag (for example <c>127.0.0.1:5000/team/plugin</c>).</param>
/// <param name="ManifestDigest">The manifest digest, the same for every tag.</param>
/// <param name="Tags">The tags that point at the manifest now (pushed or unchanged).</param>
/// <param name="BlobsUploaded">Blobs actually uploaded.</param>
/// <param name="BlobsSkipped">Blobs the registry already had.</param>
/// <param name="BlobsMounted">Blobs mounted from another repository.</param>
/// <param name="TagsUnchanged">The tags that already pointed at the manifest, so it was not sent for them.</param>
public sealed record PluginPushResult(string Repository, string ManifestDigest, IReadOnlyList<string> Tags, int BlobsUploaded, int BlobsSkipped, int BlobsMounted, IReadOnlyList<string> TagsUnchanged);
