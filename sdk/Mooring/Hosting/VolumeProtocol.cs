using System.ComponentModel;

namespace Mooring.Hosting;

/// <summary>
/// The VolumeDriver wire protocol: parses a request body, validates the volume name, calls the driver, validates and
/// serialises its answer, and turns failures into <c>{"Err": …}</c>. Called by generated dispatchers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VolumeProtocol
{
    /// <summary><c>/Plugin.Activate</c>: <c>{"Implements":["VolumeDriver"]}</c>.</summary>
    public static ValueTask<PluginResponse> ActivateAsync() => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Create</c>.</summary>
    public static ValueTask<PluginResponse> CreateAsync<TOptions>(IVolumeDriver<TOptions> driver, Func<string, IReadOnlyDictionary<string, string>?, TOptions> bindOptions, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken)
        where TOptions : class => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Remove</c>.</summary>
    public static ValueTask<PluginResponse> RemoveAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Mount</c>.</summary>
    public static ValueTask<PluginResponse> MountAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Unmount</c>.</summary>
    public static ValueTask<PluginResponse> UnmountAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Path</c>.</summary>
    public static ValueTask<PluginResponse> PathAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Get</c>.</summary>
    public static ValueTask<PluginResponse> GetAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.List</c>.</summary>
    public static ValueTask<PluginResponse> ListAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>/VolumeDriver.Capabilities</c>.</summary>
    public static ValueTask<PluginResponse> CapabilitiesAsync(IVolumeDriver driver, ReadOnlyMemory<byte> body, PluginContext context, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Any other path: 404 + <c>{"Err": …}</c>.</summary>
    public static ValueTask<PluginResponse> UnknownEndpointAsync(string path) => throw new NotImplementedException();
}
