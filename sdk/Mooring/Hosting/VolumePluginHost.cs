namespace Mooring.Hosting;

/// <summary>Runs a volume plugin: Kestrel on a unix socket, one terminal handler, no routing.</summary>
public static class VolumePluginHost
{
    /// <summary>
    /// The plugin's <c>Main</c>: parses <c>--socket PATH</c>, <c>--data-root DIR</c>, <c>--log-level LEVEL</c>,
    /// <c>--print-config</c> and <c>--help</c>, runs until SIGTERM/SIGINT, and returns the exit code.
    /// </summary>
    public static Task<int> RunAsync<TDriver>(string[] args, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver> => throw new NotImplementedException();

    /// <summary>Starts a plugin in this process (tests, benchmarks, custom hosts). The socket is bound before the
    /// driver is constructed.</summary>
    public static Task<RunningPlugin> StartAsync<TDriver>(PluginHostOptions options, Func<PluginContext, TDriver>? createDriver = null, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver> => throw new NotImplementedException();
}
