namespace Mooring.Oci.Manifests;

/// <summary>A manifest (or index) as read from a registry: the exact bytes, their media type and digest.</summary>
/// <param name="Content">The bytes as served; their sha256 is <paramref name="Digest"/>.</param>
/// <param name="MediaType">The <c>Content-Type</c> the registry sent (or the <c>mediaType</c> field when the header is missing).</param>
/// <param name="Digest">The <c>sha256:</c> digest of <paramref name="Content"/>.</param>
public sealed record ManifestContent(byte[] Content, string MediaType, string Digest);
