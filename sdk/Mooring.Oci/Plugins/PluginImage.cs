using Mooring.Oci.Archives;
using Mooring.Oci.Manifests;

namespace Mooring.Oci.Plugins;

/// <summary>A plugin built into registry form: one layer, the config blob and the schema2 manifest.</summary>
/// <param name="Layer">The rootfs layer on disk.</param>
/// <param name="Config">The config blob bytes (media type <see cref="MediaTypes.PluginConfig"/>).</param>
/// <param name="ConfigDigest">The config blob digest.</param>
/// <param name="Manifest">The manifest bytes (media type <see cref="MediaTypes.DockerManifestV2"/>).</param>
/// <param name="ManifestDigest">The manifest digest: what <c>docker plugin install repo@digest</c> pins.</param>
public sealed record PluginImage(LayerBlob Layer, byte[] Config, string ConfigDigest, byte[] Manifest, string ManifestDigest);
