using Microsoft.Extensions.Logging;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;

namespace Mooring.Testing;

/// <summary>
/// A plugin running in the test process on a real unix socket in a temporary folder, with a
/// <see cref="DockerPluginClient"/> that sends exactly what dockerd sends. No Docker needed.
/// </summary>
/// <typeparam name="TDriver">The driver class (its generated part implements <see cref="IVolumePlugin{TSelf}"/>).</typeparam>
/// <remarks>The folder holds the socket (<c>plugin.sock</c>) and the data root (<c>data</c>); it is short because a
/// unix socket path is limited to 107 bytes. Disposing stops the plugin and deletes the folder.</remarks>
public sealed class PluginHarness<TDriver> : IAsyncDisposable
    where TDriver : class, IVolumePlugin<TDriver>
{
    private readonly Func<PluginContext, TDriver>? _createDriver;
    private readonly Action<PluginHostOptions>? _configure;
    private RunningPlugin _plugin;
    private TDriver _driver;
    private bool _disposed;

    private PluginHarness(string root, Func<PluginContext, TDriver>? createDriver, Action<PluginHostOptions>? configure, RunningPlugin plugin, TDriver driver)
    {
        Root = root;
        _createDriver = createDriver;
        _configure = configure;
        _plugin = plugin;
        _driver = driver;
        Client = new DockerPluginClient(plugin.SocketPath);
    }

    /// <summary>The temporary folder: the socket and the data root live here.</summary>
    public string Root { get; }

    /// <summary>The plugin's data root (its propagated mount when it runs in Docker), normalised as the host uses it.</summary>
    public string DataRoot => _plugin.Context.DataRoot;

    /// <summary>The plugin's unix socket.</summary>
    public string SocketPath => _plugin.SocketPath;

    /// <summary>A client that behaves like dockerd. <see cref="RestartAsync"/> replaces it.</summary>
    public DockerPluginClient Client { get; private set; }

    /// <summary>The running plugin. <see cref="RestartAsync"/> replaces it.</summary>
    public RunningPlugin Plugin => _plugin;

    /// <summary>The driver instance the host constructed. <see cref="RestartAsync"/> replaces it (unless the factory
    /// returns the same instance again).</summary>
    public TDriver Driver => _driver;

    /// <summary>Starts the plugin in a new temporary folder.</summary>
    /// <param name="createDriver">Constructs the driver (called again on every restart); default
    /// <see cref="IVolumePlugin{TSelf}.CreateDriver"/>.</param>
    /// <param name="configure">Adjusts the host options (log level, limits, environment). The socket path and data
    /// root are set to the temporary folder first; changing them is allowed but then <see cref="Root"/> no longer
    /// holds them.</param>
    /// <param name="cancellationToken">Abandons the start.</param>
    /// <returns>The running harness; dispose it.</returns>
    public static async Task<PluginHarness<TDriver>> StartAsync(Func<PluginContext, TDriver>? createDriver = null, Action<PluginHostOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("mooring-").FullName;
        try
        {
            var (plugin, driver) = await StartPluginAsync(root, createDriver, configure, cancellationToken).ConfigureAwait(false);
            return new PluginHarness<TDriver>(root, createDriver, configure, plugin, driver);
        }
        catch
        {
            DeleteQuietly(root);
            throw;
        }
    }

    /// <summary>Stops the plugin and starts it again over the same data root, as <c>docker plugin disable</c> and
    /// <c>enable</c>, an upgrade or a crash and restart do. dockerd does not send Mount again afterwards.</summary>
    /// <param name="cancellationToken">Abandons the start.</param>
    /// <returns>A task that completes when the plugin answers again.</returns>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await Client.DisposeAsync().ConfigureAwait(false);
        await _plugin.StopAsync(cancellationToken).ConfigureAwait(false);
        (_plugin, _driver) = await StartPluginAsync(Root, _createDriver, _configure, cancellationToken).ConfigureAwait(false);
        Client = new DockerPluginClient(_plugin.SocketPath);
    }

    /// <summary>Stops the plugin and deletes the temporary folder.</summary>
    /// <returns>A task that completes when the plugin has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Client.DisposeAsync().ConfigureAwait(false);
        await _plugin.DisposeAsync().ConfigureAwait(false);
        DeleteQuietly(Root);
    }

    private static async Task<(RunningPlugin Plugin, TDriver Driver)> StartPluginAsync(string root, Func<PluginContext, TDriver>? createDriver, Action<PluginHostOptions>? configure, CancellationToken cancellationToken)
    {
        var options = new PluginHostOptions
        {
            SocketPath = Path.Combine(root, "plugin.sock"),
            DataRoot = Path.Combine(root, "data"),

            // Refused requests are the point of many tests; warnings and errors still show what went wrong.
            MinimumLogLevel = LogLevel.Warning,
        };
        configure?.Invoke(options);

        // The host does not hand the driver out; capture it as it is constructed.
        TDriver? driver = null;
        var plugin = await VolumePluginHost.StartAsync(
            options,
            context => driver = createDriver is null ? TDriver.CreateDriver(context) : createDriver(context),
            cancellationToken).ConfigureAwait(false);
        return (plugin, driver!);
    }

    private static void DeleteQuietly(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A test that left a mount or a read-only entry behind must not fail at clean-up; the folder is in /tmp.
        }
    }
}
