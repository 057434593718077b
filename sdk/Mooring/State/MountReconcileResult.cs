namespace Mooring.State;

/// <summary>
/// What <see cref="MountLedger.ReconcileAsync(Func{string, string?}, IEnumerable{string}?, MountTable?, CancellationToken)"/>
/// found when it compared the ledger with the kernel's mount table. The ledger has already been corrected; the driver
/// acts on the rest (typically: unmount every <see cref="Orphans"/> entry whose <see cref="OrphanMount.Volume"/> it owns).
/// </summary>
/// <param name="Cleared">Volumes the ledger counted as mounted whose mount is gone (e.g. the host rebooted): their
/// counts were dropped, so the next Mount mounts afresh.</param>
/// <param name="Confirmed">Volumes the ledger counts as mounted and that are mounted: kept as they are.</param>
/// <param name="Unverified">Volumes with counts for which the driver gave no mount path (it does not mount), kept as they are.</param>
/// <param name="Orphans">Mount points below the data root that no counted volume owns: leftovers of mounts whose
/// Unmount never came (dockerd crashed) or of a plugin that crashed between mounting and recording.</param>
public sealed record MountReconcileResult(
    IReadOnlyList<ClearedMount> Cleared,
    IReadOnlyList<string> Confirmed,
    IReadOnlyList<string> Unverified,
    IReadOnlyList<OrphanMount> Orphans)
{
    /// <summary>Whether the ledger and the kernel agreed on everything.</summary>
    public bool IsClean => Cleared.Count == 0 && Orphans.Count == 0;
}

/// <summary>A volume whose counts were dropped because its mount is gone.</summary>
/// <param name="Volume">The volume name.</param>
/// <param name="MountPath">Where it should have been mounted.</param>
/// <param name="Mounts">The mount IDs and counts that were dropped.</param>
public sealed record ClearedMount(string Volume, string MountPath, IReadOnlyDictionary<string, int> Mounts);

/// <summary>A kernel mount below the data root that no counted volume owns.</summary>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="Volume">The volume whose mount path this is, when it is one of the known volumes; otherwise
/// <see langword="null"/> (a mount the driver may have made for another reason: leave it unless you know it).</param>
/// <param name="Entry">The kernel's description of the mount.</param>
public sealed record OrphanMount(string MountPoint, string? Volume, MountEntry Entry);
