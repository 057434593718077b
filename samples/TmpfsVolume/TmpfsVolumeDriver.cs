using System.Globalization;
using Mooring;

namespace Mooring.Samples.TmpfsVolume;

/// <summary>
/// A tmpfs per volume: scratch space with a hard size limit. The first Mount mounts a tmpfs on the volume's data
/// directory, the last Unmount unmounts it — its content is then gone, by design.
/// </summary>
/// <remarks>
/// Mooring owns the records, mount counts, locks and reconcile (see <see cref="IManagedVolumeDriver{TOptions}"/>).
/// Because <see cref="AttachMountsDataDirectory"/> is true, reconcile at start checks the kernel: a tmpfs still mounted
/// for a counted volume is adopted as it is (a plugin crash keeps the containers' data), a count whose tmpfs vanished
/// is dropped, and a tmpfs nobody counts is detached.
/// </remarks>
[VolumePlugin(
    Socket = "tmpfsvolume.sock",
    Description = "Mooring sample: a size-limited tmpfs per Docker volume (scratch space, lost on the last unmount)",
    Documentation = "https://github.com/mooring-sdk/mooring/tree/main/samples/TmpfsVolume",
    PropagatedMount = "/data",
    LinuxCapabilities = new[] { "CAP_SYS_ADMIN" })]
public sealed partial class TmpfsVolumeDriver : IManagedVolumeDriver<TmpfsVolumeOptions>
{
    /// <inheritdoc />
    public bool AttachMountsDataDirectory => true;

    /// <inheritdoc />
    public ValueTask ProvisionAsync(ManagedVolume<TmpfsVolumeOptions> volume, CancellationToken cancellationToken)
    {
        // Nothing exists until the first Mount: the record alone is the volume. Refuse what mount(2) would refuse later.
        if (volume.Options.Size is { Bytes: <= 0 } size)
        {
            throw new VolumeOptionException($"volume '{volume.Name}': option 'size' must be more than 0 bytes, got '{size}'");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AttachAsync(ManagedVolume<TmpfsVolumeOptions> volume, CancellationToken cancellationToken)
    {
        TmpfsMount.Mount(volume.Name, volume.DataDirectory, volume.Options.Size, volume.Options.Mode);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DetachAsync(ManagedVolume<TmpfsVolumeOptions> volume, CancellationToken cancellationToken)
    {
        TmpfsMount.Unmount(volume.Name, volume.DataDirectory);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string>? DescribeStatus(ManagedVolume<TmpfsVolumeOptions> volume) => new Dictionary<string, string>
    {
        ["size"] = volume.Options.Size?.ToString() ?? "half of the RAM",
        ["mode"] = Convert.ToString((int)(volume.Options.Mode ?? TmpfsMount.DefaultMode), 8).PadLeft(4, '0'),
    };
}
