using Microsoft.Extensions.Logging;
using Mooring.Hosting.Http;
using Mooring.Hosting.Management;
using Mooring.Logging;

namespace Mooring.Hosting;

/// <summary>A plugin started by <see cref="VolumePluginHost.StartAsync{TDriver}"/>. Dispose to stop it.</summary>
public sealed partial class RunningPlugin : IAsyncDisposable
{
    // The server gets this long after the grace period to abort what is left before the host moves on regardless.
    private static readonly TimeSpan AbortAllowance = TimeSpan.FromSeconds(1);

    private readonly UnixHttpServer _server;
    private readonly object _driver;
    private readonly ILoggerFactory? _ownedLoggerFactory;
    private readonly CancellationTokenSource _hardStop;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _stopping;

    internal RunningPlugin(UnixHttpServer server, PluginContext context, object driver, ILoggerFactory? ownedLoggerFactory, CancellationTokenSource hardStop, TimeSpan shutdownTimeout)
    {
        _server = server;
        Context = context;
        _driver = driver;
        _ownedLoggerFactory = ownedLoggerFactory;
        _hardStop = hardStop;
        _shutdownTimeout = shutdownTimeout;
        _logger = context.LoggerFactory.CreateLogger("Mooring.Hosting");
    }

    /// <summary>The socket the plugin listens on.</summary>
    public string SocketPath => Context.SocketPath;

    /// <summary>The plugin's context.</summary>
    public PluginContext Context { get; }

    /// <summary>The management socket (docs/troubleshooting.md, "Management socket"); <see langword="null"/> when
    /// <see cref="PluginHostOptions.EnableManagementSocket"/> is off.</summary>
    public string? ManagementSocketPath { get; internal init; }

    // Closed after the driver: a managed driver's state, whose log is then written into its files (a clean stop leaves
    // them complete; after a crash the next start replays the log instead).
    internal IAsyncDisposable? ManagedState { get; init; }

    // Disposed after the server stops: the meter's instruments and the listener that aggregates them for /metrics.
    internal (PluginMetrics Meter, MetricsCollector? Collector) Metrics { get; init; }

    /// <summary>Stops accepting requests, lets in-flight ones finish (bounded), and removes the socket file.</summary>
    /// <param name="cancellationToken">Ends the grace period early: in-flight requests are cancelled at once.</param>
    /// <returns>A task that completes when the plugin has stopped. Calling it again returns the same stop.</returns>
    /// <remarks>In-flight requests get <see cref="PluginHostOptions.ShutdownTimeout"/> to finish; then their
    /// cancellation tokens fire and their connections are aborted.</remarks>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal static async ValueTask DisposeDriverAsync(object? driver)
    {
        switch (driver)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // never run the shutdown on the caller's (possibly a signal handler's) stack
        MooringLog.Stopping(_logger, SocketPath);
        var stopped = false;
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(_shutdownTimeout);

            // The server stops accepting at once and waits for in-flight requests until the grace period ends; then it
            // aborts them. Cancelling the drivers' tokens at that moment lets cooperative drivers finish promptly.
            // Disposing the registration (end of this block) waits for a running callback, so _hardStop outlives it.
            using var abortDrivers = grace.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _hardStop);
            var stop = _server.StopAsync(grace.Token);
            try
            {
                await stop.WaitAsync(_shutdownTimeout + AbortAllowance, CancellationToken.None).ConfigureAwait(false);
                stopped = true;
            }
            catch (TimeoutException)
            {
                MooringLog.StopTimedOut(_logger);
            }
            catch (OperationCanceledException)
            {
                stopped = stop.IsCompleted;
            }
        }

        await _hardStop.CancelAsync().ConfigureAwait(false);
        SocketFile.Remove(SocketPath);
        if (ManagementSocketPath is not null)
        {
            SocketFile.Remove(ManagementSocketPath);
        }

        try
        {
            await DisposeDriverAsync(_driver).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failing Dispose must not keep the plugin from exiting
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MooringLog.DriverDisposeFailed(_logger, ex);
        }

        if (ManagedState is not null)
        {
            await ManagedState.DisposeAsync().ConfigureAwait(false); // logs its own failures: the log keeps the changes
        }

        Metrics.Collector?.Dispose();
        Metrics.Meter?.Dispose();
        MooringLog.Stopped(_logger);
        _ownedLoggerFactory?.Dispose();

        // _hardStop is not disposed: a request that outlived the shutdown may still link to its token, and a
        // CancellationTokenSource without a timer holds nothing that needs releasing.
    }
}
