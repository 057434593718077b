namespace Mooring.Oci.Registry;

/// <summary>What a <see cref="RegistryProgress"/> report is about.</summary>
public enum RegistryProgressKind
{
    /// <summary>The registry already had the blob; nothing was sent.</summary>
    BlobSkipped,

    /// <summary>The blob was mounted from another repository; nothing was sent.</summary>
    BlobMounted,

    /// <summary>Some bytes of a blob were sent (<see cref="RegistryProgress.BytesSent"/> is the running total for that blob).</summary>
    BlobUploading,

    /// <summary>A blob upload completed.</summary>
    BlobUploaded,

    /// <summary>A manifest was pushed under a tag or digest.</summary>
    ManifestPushed,
}

/// <summary>A progress report from a push. Reports are raised synchronously on the pushing thread.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Digest">The blob or manifest digest.</param>
/// <param name="BytesSent">Bytes of this blob sent so far (0 for skipped and mounted blobs).</param>
/// <param name="TotalBytes">The blob or manifest size.</param>
/// <param name="Reference">The tag or digest a manifest was pushed under, else <see langword="null"/>.</param>
public sealed record RegistryProgress(RegistryProgressKind Kind, string Repository, string Digest, long BytesSent, long TotalBytes, string? Reference = null);
