using Mooring.Oci.Archives;
using Mooring.Oci.References;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Images;

/// <summary>What <see cref="BaseImage.PullAndFlattenAsync(ImageReference, string, LayerLimits, RegistryClientOptions?, string, CancellationToken)"/> pulled.</summary>
/// <param name="Reference">The reference pulled, pinned to the manifest digest.</param>
/// <param name="ManifestDigest">The digest of the platform manifest that was used (not of the index).</param>
/// <param name="Config">The image config blob (entrypoint, env, … of the base), as served.</param>
/// <param name="LayerDigests">The layers applied, base first.</param>
public sealed record PulledImage(ImageReference Reference, string ManifestDigest, byte[] Config, IReadOnlyList<string> LayerDigests);
