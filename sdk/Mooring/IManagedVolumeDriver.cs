namespace Mooring;

/// <summary>
/// The high-level driver model: the author writes only what is specific to the storage, and Mooring owns the rest —
/// the volume records (with the typed options, bound again after a restart), the per-(volume, mount ID) mount ledger,
/// per-volume locks, the idempotent Create and Remove dockerd expects, reconcile at start, refusing Remove while the
/// volume is mounted, Get/List/Path/Capabilities answered from memory, and the safe deletion of the volume's data
/// directory. Use <see cref="IVolumeDriver{TOptions}"/> instead for full control of every request.
/// </summary>
/// <typeparam name="TOptions">The options class, bound from <c>-o key=value</c> exactly as for
/// <see cref="IVolumeDriver{TOptions}"/>; <see cref="DirectoryVolumeOptions"/> gives <c>mode</c>, <c>uid</c> and
/// <c>gid</c> ready-made.</typeparam>
/// <remarks>
/// Every volume has a data directory, <see cref="ManagedVolume{TOptions}.DataDirectory"/>, which Mooring creates
/// before <see cref="ProvisionAsync"/>, reports to dockerd as the volume's mountpoint, and deletes (never through a
/// mount, never following a symlink) after <see cref="DestroyAsync"/>. Each hook runs inside the volume's lock, so
/// hooks for one volume never overlap; hooks for different volumes run in parallel. Throw
/// <see cref="VolumeDriverException"/> or <see cref="VolumeOptionException"/> to answer with a message the user sees.
/// The guarantees are in docs/reliability.md.
/// </remarks>
public interface IManagedVolumeDriver<TOptions>
    where TOptions : class
{
    /// <summary>
    /// Prepares the storage of a new volume. The data directory exists (empty, mode 0755, owned by the plugin). If this
    /// throws, the volume does not exist: Mooring calls <see cref="DestroyAsync"/> and deletes the directory.
    /// </summary>
    /// <param name="volume">The new volume, with its bound options.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>A task that completes when the volume is ready to be mounted.</returns>
    ValueTask ProvisionAsync(ManagedVolume<TOptions> volume, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the volume usable at its data directory; called on the first mount only (the ledger counts the rest).
    /// The default does nothing, which is right for a directory volume.
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>A task that completes when the data directory holds the volume's content.</returns>
    ValueTask AttachAsync(ManagedVolume<TOptions> volume, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Undoes <see cref="AttachAsync"/> after the last mount is released. The default does nothing.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>A task that completes when the volume is detached.</returns>
    ValueTask DetachAsync(ManagedVolume<TOptions> volume, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Releases what <see cref="ProvisionAsync"/> set up outside the data directory (a backend object, a quota). Called
    /// on Remove, when nothing is mounted; Mooring deletes the data directory afterwards. The default does nothing.
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <param name="cancellationToken">Cancelled when dockerd gives up on the request.</param>
    /// <returns>A task that completes when the backend no longer holds the volume.</returns>
    ValueTask DestroyAsync(ManagedVolume<TOptions> volume, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Facts shown under <c>Status</c> by <c>docker volume inspect</c>, besides the <c>mounts</c> count Mooring adds.
    /// Called on every Get: answer from memory (the options, <see cref="ManagedVolume{TOptions}.Properties"/>), never
    /// from the disk or the network. The default shows nothing more.
    /// </summary>
    /// <param name="volume">The volume.</param>
    /// <returns>The facts, or <see langword="null"/>.</returns>
    IReadOnlyDictionary<string, string>? DescribeStatus(ManagedVolume<TOptions> volume) => null;

    /// <summary>
    /// Whether <see cref="AttachAsync"/> mounts a file system on the data directory (a tmpfs, NFS, a block device).
    /// When it does, reconcile at start compares the ledger with the kernel's mount table: counts whose mount vanished
    /// are dropped, and a volume attached but counted by nobody is detached. When it does not (the default), the counts
    /// are kept as they are, since a plain directory leaves no trace in the mount table.
    /// </summary>
    bool AttachMountsDataDirectory => false;

    /// <summary>The scope reported by <c>/VolumeDriver.Capabilities</c>. The default is <see cref="VolumeScope.Local"/>.</summary>
    VolumeScope Scope => VolumeScope.Local;
}
