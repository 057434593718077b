using Mooring.Hosting;
using Mooring.Testing;

namespace TemplateNamespace.Tests;

/// <summary>
/// The plugin running in this process on a real unix socket in a temporary folder, and a client that sends exactly what
/// dockerd sends. No Docker needed.
/// </summary>
public sealed class PluginHarness : IAsyncDisposable
{
    private RunningPlugin _plugin;

    private PluginHarness(string root, RunningPlugin plugin)
    {
        Root = root;
        _plugin = plugin;
        Client = new DockerPluginClient(plugin.SocketPath);
    }

    /// <summary>The temporary folder: the socket and the data root live here.</summary>
    public string Root { get; }

    /// <summary>The plugin's data root (its propagated mount when it runs in Docker).</summary>
    public string DataRoot => Path.Combine(Root, "data");

    /// <summary>A client that behaves like dockerd.</summary>
    public DockerPluginClient Client { get; private set; }

    public static async Task<PluginHarness> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("plugin-test-").FullName;
        return new PluginHarness(root, await StartPluginAsync(root));
    }

    /// <summary>Stops the plugin and starts it again over the same data root, as a plugin restart or upgrade does.</summary>
    public async Task RestartAsync()
    {
        await Client.DisposeAsync();
        await _plugin.DisposeAsync();
        _plugin = await StartPluginAsync(Root);
        Client = new DockerPluginClient(_plugin.SocketPath);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _plugin.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private static Task<RunningPlugin> StartPluginAsync(string root) =>
        VolumePluginHost.StartAsync<TemplateClassDriver>(new PluginHostOptions
        {
            SocketPath = Path.Combine(root, "plugin.sock"),
            DataRoot = Path.Combine(root, "data"),
            MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        });
}
