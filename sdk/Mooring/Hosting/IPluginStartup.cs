namespace Mooring.Hosting;

/// <summary>
/// Implemented by a driver that has slow start-up work (loading state, reconciling mounts with the kernel, connecting
/// to a backend). The host calls <see cref="StartAsync"/> once, after the socket is bound — dockerd gives a plugin only
/// ~12.5 s to create its socket — and before any request reaches the driver; requests that arrive meanwhile wait.
/// </summary>
public interface IPluginStartup
{
    /// <summary>Does the driver's start-up work. Throwing fails the plugin's start (the socket is removed).</summary>
    /// <param name="cancellationToken">Cancelled when the start is abandoned (e.g. SIGTERM during start-up).</param>
    /// <returns>A task that completes when the driver is ready for requests.</returns>
    ValueTask StartAsync(CancellationToken cancellationToken);
}
