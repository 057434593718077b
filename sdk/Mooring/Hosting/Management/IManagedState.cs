using System.ComponentModel;
using Mooring.State;

namespace Mooring.Hosting.Management;

/// <summary>
/// What the management socket needs from a managed driver's bookkeeping (<see cref="Metadata.ManagedVolumes{TOptions}"/>): the
/// volumes and their mount counts, reconcile now, and forget. A dispatcher exposes it through
/// <see cref="Metadata.PluginDispatcher.ManagedState"/>; the generated dispatcher of an <see cref="IManagedVolumeDriver{TOptions}"/>
/// does, a low-level driver has none.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IManagedState
{
    /// <summary>The volumes, their phases, recorded options and mount counts, plus the names whose state could not be
    /// read (they are refused until an operator deals with the file).</summary>
    /// <returns>A consistent-enough copy: each volume's counts are read atomically, the list is not.</returns>
    ManagedStateSnapshot GetSnapshot();

    /// <summary>How many volumes exist and how many mounts are counted in all (the <c>mooring_volumes</c> and
    /// <c>mooring_mounts</c> gauges); cheap, no copy.</summary>
    /// <returns>The two totals.</returns>
    (int Volumes, int Mounts) CountTotals();

    /// <summary>Compares the mount counts with the kernel now, the way start-up does: counts whose mount vanished are
    /// dropped (drivers that attach the data directory), orphan attachments are detached. Each volume's lock is held.</summary>
    /// <param name="cancellationToken">Stops waiting for the volumes' locks.</param>
    /// <returns>What was found and corrected.</returns>
    Task<MountReconcileResult> ReconcileNowAsync(CancellationToken cancellationToken);

    /// <summary>Drops one mount ID of a volume (every count of it), or all of its mounts, for the case where dockerd
    /// crashed and its Unmounts were lost. When the total reaches 0 the volume is detached, as after its last Unmount.</summary>
    /// <param name="volume">The volume name.</param>
    /// <param name="mountId">The mount ID to drop; <see langword="null"/> for all of the volume's mounts.</param>
    /// <param name="cancellationToken">Stops waiting for the volume's lock.</param>
    /// <returns>How many counts were released and the total left.</returns>
    /// <exception cref="KeyNotFoundException">The volume is unknown, or the mount ID is not counted; the message says which.</exception>
    /// <exception cref="VolumeDriverException">The volume's state is unreadable, or the file system failed.</exception>
    Task<ForgetResult> ForgetAsync(string volume, string? mountId, CancellationToken cancellationToken);

    /// <summary>Prepares a downgrade to a plugin version without the state log: once the changes in progress have
    /// finished, writes the volume records and mount counts back at format 1 and refuses every later change until the
    /// plugin restarts (<see cref="VolumeStateStore.PrepareDowngradeAsync"/>).</summary>
    /// <param name="cancellationToken">Stops waiting for the volumes' locks.</param>
    /// <returns>How many files were written back.</returns>
    /// <exception cref="IOException">A file could not be written; the message names it.</exception>
    Task<DowngradeResult> PrepareDowngradeAsync(CancellationToken cancellationToken);
}

/// <summary>The managed volumes as the management socket shows them.</summary>
/// <param name="Volumes">The volumes, ordered by name.</param>
/// <param name="Unavailable">Names whose record or mount counts could not be read, or whose recorded options no
/// longer bind.</param>
public sealed record ManagedStateSnapshot(IReadOnlyList<ManagedVolumeState> Volumes, IReadOnlyList<UnreadableState> Unavailable);

/// <summary>One managed volume.</summary>
/// <param name="Name">The volume name.</param>
/// <param name="Removing">Whether a Remove began and did not finish (the volume is refused for Mount).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Options">The raw options it was created with.</param>
/// <param name="Mounts">The counted mount IDs and how often each is mounted.</param>
/// <param name="TotalMounts">The sum of <paramref name="Mounts"/>.</param>
public sealed record ManagedVolumeState(
    string Name,
    bool Removing,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, int> Mounts,
    int TotalMounts);

/// <summary>The outcome of <see cref="IManagedState.ForgetAsync"/>.</summary>
/// <param name="Volume">The volume name.</param>
/// <param name="Released">How many counts were dropped.</param>
/// <param name="TotalMounts">The counts left.</param>
public sealed record ForgetResult(string Volume, int Released, int TotalMounts);

/// <summary>The outcome of <see cref="IManagedState.PrepareDowngradeAsync"/>.</summary>
/// <param name="Format">The format the files are now at.</param>
/// <param name="VolumeFiles">How many volume records are at that format.</param>
/// <param name="MountFiles">How many volumes' mount counts are.</param>
/// <param name="Unavailable">How many names' state could not be read and was left as it is (the older version refuses
/// those volumes too).</param>
/// <param name="Mounted">How many volumes had counted mounts when the state was written back: their Unmounts are now
/// refused, and <c>docker plugin disable -f</c> unmounts them from under their containers.</param>
public sealed record DowngradeResult(int Format, int VolumeFiles, int MountFiles, int Unavailable, int Mounted);
