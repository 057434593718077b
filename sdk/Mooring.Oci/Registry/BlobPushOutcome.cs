namespace Mooring.Oci.Registry;

/// <summary>What <see cref="RegistryClient.PushBlobAsync"/> had to do.</summary>
public enum BlobPushOutcome
{
    /// <summary>The repository already had the blob (found by <c>HEAD</c>); nothing was sent.</summary>
    Skipped,

    /// <summary>The blob was mounted from another repository of the same registry; nothing was sent.</summary>
    Mounted,

    /// <summary>The blob was uploaded.</summary>
    Uploaded,
}
