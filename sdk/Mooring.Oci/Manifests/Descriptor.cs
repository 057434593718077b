namespace Mooring.Oci.Manifests;

/// <summary>A content descriptor as written in manifests: media type, size and digest.</summary>
/// <param name="MediaType">The media type of the referenced content.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Digest">Its <c>sha256:</c> digest.</param>
public sealed record Descriptor(string MediaType, long Size, string Digest);
