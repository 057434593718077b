using Mooring.Oci.Manifests;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Archives;

/// <summary>A compressed layer written to disk, with the digests a manifest and config need.</summary>
/// <param name="Path">The <c>.tar.gz</c> file.</param>
/// <param name="Digest">The <c>sha256:</c> digest of the compressed file (the blob digest).</param>
/// <param name="Size">The compressed size in bytes.</param>
/// <param name="DiffId">The <c>sha256:</c> digest of the uncompressed tar (for <c>rootfs.diff_ids</c>).</param>
/// <param name="MediaType">The layer media type.</param>
public sealed record LayerBlob(string Path, string Digest, long Size, string DiffId, string MediaType = MediaTypes.DockerLayerGzip)
{
    /// <summary>The layer as a blob to upload.</summary>
    public BlobContent ToBlobContent() => BlobContent.FromFile(Path, Digest);
}
