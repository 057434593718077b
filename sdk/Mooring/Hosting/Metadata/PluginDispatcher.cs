using System.ComponentModel;
using Mooring.Hosting.Management;
using Mooring.Protocol;

namespace Mooring.Hosting.Metadata;

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

    /// <summary>The managed driver's bookkeeping, for the management socket's volumes, reconcile and forget;
    /// <see langword="null"/> for a driver that manages its own volumes (<see cref="IVolumeDriver{TOptions}"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual IManagedState? ManagedState => null;

    /// <summary>The driver-defined operations (methods marked <c>[ManagementOperation]</c>) that
    /// <see cref="InvokeOperationAsync"/> runs. None by default.</summary>
    public virtual IReadOnlyList<ManagementOperationInfo> Operations => [];

    /// <summary>Runs a driver-defined operation for <c>POST /operations/&lt;name&gt;</c>.</summary>
    /// <param name="name">The operation's name.</param>
    /// <param name="body">The raw request body: <c>{"volume":"v","arguments":{"k":"v"}}</c> (at most 64 KiB).</param>
    /// <param name="cancellationToken">Cancelled when the client goes away or the plugin stops.</param>
    /// <returns>The answer: <c>{"result":…}</c>, or an <c>{"Err":…}</c> error. By default 404 for every name.</returns>
    public virtual ValueTask<PluginResponse> InvokeOperationAsync(string name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        => ValueTask.FromResult(Replies.Error(Replies.NotFound, $"unknown operation '{name}'"));
}
