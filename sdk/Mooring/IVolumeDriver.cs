namespace Mooring;

/// <summary>
/// The operations dockerd calls on a volume plugin, except <c>Create</c>, which is typed by the driver's options:
/// implement <see cref="IVolumeDriver{TOptions}"/>.
/// </summary>
/// <remarks>
/// Every method receives a <see cref="CancellationToken"/> that is cancelled when dockerd gives up on the request
/// (it closes the connection after its deadline: 2 minutes for Create and Mount, 1 minute for the rest) or when the
/// plugin shuts down. Throw <see cref="VolumeDriverException"/> to answer with an error message that reaches the user
/// verbatim through the docker CLI. Volume names are validated by the host before any method is called.
/// </remarks>
public interface IVolumeDriver
{
    /// <summary>Deletes the volume and its data. dockerd refuses to call this while containers use the volume.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes the volume available and returns the absolute path where it is mounted.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">A random ID per mount point; the same ID can arrive twice (<c>docker cp</c>).</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>An absolute path under the plugin's data root (its propagated mount).</returns>
    ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken);

    /// <summary>Releases one mount of the volume, identified by the ID that was passed to <see cref="MountAsync"/>.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">The mount ID.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken);

    /// <summary>Returns the volume, or <see langword="null"/> when it does not exist. Never return a placeholder:
    /// dockerd skips Create when Get answers with a volume.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists every volume the driver owns.</summary>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Returns where the volume is mounted, or <see langword="null"/> when it is not mounted.
    /// The default answers the <see cref="VolumeInfo.Mountpoint"/> from <see cref="GetAsync"/>.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    async ValueTask<string?> PathAsync(string name, CancellationToken cancellationToken)
    {
        var volume = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        return volume is null ? throw VolumeDriverException.NotFound(name) : volume.Mountpoint;
    }

    /// <summary>Reports the driver's scope. Called before almost every operation: answer from memory.
    /// The default is <see cref="VolumeScope.Local"/>.</summary>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask<VolumeCapabilities> CapabilitiesAsync(CancellationToken cancellationToken) => new(VolumeCapabilities.Local);
}

/// <summary>A volume driver whose <c>-o key=value</c> options are bound to <typeparamref name="TOptions"/>.</summary>
/// <typeparam name="TOptions">The options class: public settable properties, optionally marked with
/// <see cref="VolumeOptionAttribute"/>. Use <see cref="NoOptions"/> for a driver that takes none.</typeparam>
public interface IVolumeDriver<in TOptions> : IVolumeDriver
    where TOptions : class
{
    /// <summary>Creates the volume. The options are already bound and validated.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="options">The bound options (defaults when the user gave none).</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    ValueTask CreateAsync(string name, TOptions options, CancellationToken cancellationToken);
}
