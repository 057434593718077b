using System.ComponentModel;

namespace Mooring.Hosting;

/// <summary>Maps a request path to a typed driver call. The source generator emits one per driver.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public abstract class PluginDispatcher
{
    /// <summary>Handles one request.</summary>
    /// <param name="path">The request path, e.g. <c>/VolumeDriver.Mount</c>.</param>
    /// <param name="body">The raw request body (possibly empty).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the plugin stops.</param>
    /// <returns>The status code and JSON body to send.</returns>
    public abstract ValueTask<PluginResponse> DispatchAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>Start-up work of the dispatcher itself (a managed driver's state and reconcile). The host calls it once,
    /// after the driver's own <see cref="IPluginStartup.StartAsync"/> and before the first request is dispatched.</summary>
    /// <param name="cancellationToken">Cancelled when the start is abandoned.</param>
    /// <returns>A task that completes when requests may be dispatched.</returns>
    public virtual ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
