using Mooring;

namespace Mooring.Samples.LocalVolume;

/// <summary>
/// Persistent directories as Docker volumes. Volume <c>v</c> is the directory <c>&lt;data root&gt;/volumes/v</c>; the
/// data root is the plugin's propagated mount, so volumes survive plugin restarts and <c>docker plugin upgrade</c>.
/// </summary>
/// <remarks>
/// Mooring owns the bookkeeping (see <see cref="IManagedVolumeDriver{TOptions}"/>): the volume records with their
/// options, mount counting per mount ID, per-volume locks, idempotent Create and Remove, reconcile at start, refusing
/// Remove while mounted, and deleting the directory without crossing a mount or following a symlink. This class only
/// says what a new volume's directory looks like.
/// </remarks>
[VolumePlugin(
    Socket = "localvolume.sock",
    Description = "Persistent local directories as Docker volumes",
    PropagatedMount = "/data")]
public sealed partial class LocalVolumeDriver : IManagedVolumeDriver<LocalVolumeOptions>
{
    /// <summary>Applies <c>-o mode=…</c>, <c>-o uid=…</c> and <c>-o gid=…</c> to the new volume's directory.</summary>
    /// <param name="volume">The new volume; its directory exists and is empty.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>A completed task: nothing here waits.</returns>
    public ValueTask ProvisionAsync(ManagedVolume<LocalVolumeOptions> volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        volume.ApplyDirectoryOptions();
        return ValueTask.CompletedTask;
    }

    /// <summary>Shows the options the volume was created with under <c>Status</c> in <c>docker volume inspect</c>.</summary>
    /// <param name="volume">The volume.</param>
    /// <returns>The options as given.</returns>
    public IReadOnlyDictionary<string, string>? DescribeStatus(ManagedVolume<LocalVolumeOptions> volume) => volume?.RawOptions;
}
