namespace Mooring.Hosting;

/// <summary>A plugin started by <see cref="VolumePluginHost.StartAsync{TDriver}"/>. Dispose to stop it.</summary>
public sealed class RunningPlugin : IAsyncDisposable
{
    private RunningPlugin() => throw new NotImplementedException();

    /// <summary>The socket the plugin listens on.</summary>
    public string SocketPath => throw new NotImplementedException();

    /// <summary>The plugin's context.</summary>
    public PluginContext Context => throw new NotImplementedException();

    /// <summary>Stops accepting requests, lets in-flight ones finish (bounded), and removes the socket file.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
