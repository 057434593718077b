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
}
