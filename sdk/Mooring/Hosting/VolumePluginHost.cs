using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Mooring.Hosting.Http;
using Mooring.Hosting.Management;
using Mooring.Hosting.Metadata;
using Mooring.Logging;
using Mooring.State;
using Mooring.Validation;

namespace Mooring.Hosting;

/// <summary>Runs a volume plugin: an HTTP/1.1 server of its own on a unix socket, one handler, no routing.</summary>
/// <remarks>
/// No generic host, no dependency injection and no Kestrel: dockerd gives a managed plugin only ~12.5 s to create its
/// socket (docs/protocol.md §1.4), and each of them cost start-up time, memory and binary size (docs/footprint.md has
/// the measurements).
/// </remarks>
public static partial class VolumePluginHost
{
    /// <summary>
    /// The plugin's <c>Main</c>: parses <c>--socket PATH</c>, <c>--data-root DIR</c>, <c>--log-level LEVEL</c> (default:
    /// the <c>LOG_LEVEL</c> environment variable), <c>--management-socket PATH</c>, <c>--no-management-socket</c>,
    /// <c>--print-config</c> and <c>--help</c>, runs until SIGTERM/SIGINT, and returns the exit code. With <c>ctl</c> as
    /// the first argument it is instead the client of a running plugin's management socket (docs/operations.md).
    /// </summary>
    /// <typeparam name="TDriver">The driver class (its generated part implements <see cref="IVolumePlugin{TSelf}"/>).</typeparam>
    /// <param name="args">The command line.</param>
    /// <param name="cancellationToken">Stops the plugin like SIGTERM does.</param>
    /// <returns>0 after a clean stop (or <c>--help</c>/<c>--print-config</c>), 1 when the plugin could not start,
    /// 2 for a bad command line; for <c>ctl</c>, the exit codes in docs/operations.md.</returns>
    public static Task<int> RunAsync<TDriver>(string[] args, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver> =>
        RunCoreAsync<TDriver>(args, configure: null, cancellationToken);

    /// <summary>
    /// The plugin's <c>Main</c>, like <see cref="RunAsync{TDriver}(string[], CancellationToken)"/>, with the host
    /// configured in code first: e.g. <c>options.LoggerFactory</c> for other logging providers, or timeouts and limits.
    /// The command line wins over what <paramref name="configure"/> sets (<c>--socket</c>, <c>--data-root</c>,
    /// <c>--management-socket</c>, <c>--no-management-socket</c>, <c>--log-level</c>, driver arguments).
    /// </summary>
    /// <remarks>
    /// A <see cref="PluginHostOptions.LoggerFactory"/> set here is used for every log line of the plugin and is not
    /// disposed by the host (the caller created it, the caller disposes it). Its levels are its own: <c>--log-level</c>,
    /// <c>LOG_LEVEL</c> and the management socket's <c>PUT /log-level</c> only steer the default logger. It is
    /// constructed before the socket is bound, so its cost counts against the ~12.5 s dockerd waits for the socket
    /// (docs/attributes.md, "Custom logging").
    /// </remarks>
    /// <typeparam name="TDriver">The driver class (its generated part implements <see cref="IVolumePlugin{TSelf}"/>).</typeparam>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Sets the host's options before the command line is applied.</param>
    /// <param name="cancellationToken">Stops the plugin like SIGTERM does.</param>
    /// <returns>The exit codes of <see cref="RunAsync{TDriver}(string[], CancellationToken)"/>.</returns>
    public static Task<int> RunAsync<TDriver>(string[] args, Action<PluginHostOptions> configure, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        ArgumentNullException.ThrowIfNull(configure);
        return RunCoreAsync<TDriver>(args, configure, cancellationToken);
    }

    private static async Task<int> RunCoreAsync<TDriver>(string[] args, Action<PluginHostOptions>? configure, CancellationToken cancellationToken)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "ctl")
        {
            return await Control.ControlCommand.RunAsync(args[1..], TDriver.Descriptor.SocketName, StandardStreams.Out, StandardStreams.Error, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        }

        var commandLine = HostCommandLine.Parse(args, out var error);
        if (commandLine is null)
        {
            await StandardStreams.Error.WriteLineAsync($"error: {error}{Environment.NewLine}{Environment.NewLine}{HostCommandLine.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (commandLine.Help)
        {
            await StandardStreams.Out.WriteLineAsync(HostCommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        if (commandLine.PrintConfig)
        {
            await StandardStreams.Out.WriteLineAsync(TDriver.Descriptor.ManifestJson).ConfigureAwait(false);
            return 0;
        }

        var options = new PluginHostOptions();
        configure?.Invoke(options);
        var customLoggerFactory = options.LoggerFactory;
        commandLine.ApplyTo(options);

        // The default factory belongs to this method; a caller's factory stays the caller's to dispose.
        using var ownedLoggerFactory = customLoggerFactory is null
            ? CreateLoggerFactory(options.MinimumLogLevel, options.Environment ?? Environment.GetEnvironmentVariable)
            : null;
        var loggerFactory = customLoggerFactory ?? ownedLoggerFactory!;
        options.LoggerFactory = loggerFactory;
        var logger = loggerFactory.CreateLogger("Mooring.Hosting");
        if (customLoggerFactory is not null && commandLine.LogLevel is { } ignored)
        {
            MooringLog.LogLevelIgnored(logger, LogLevelNames.Name(ignored));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Handled signals do not terminate the process; they start a graceful stop (dockerd: SIGTERM, then SIGKILL
        // after 10 s). The registrations live until the plugin has stopped.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        RunningPlugin plugin;
        try
        {
            plugin = await StartAsync<TDriver>(options, createDriver: null, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is VolumeDriverException or InvalidOperationException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            // Configuration problems: the message says it all, a stack trace would hide it in dockerd's log.
            MooringLog.StartFailed(logger, ex.Message);
            return 1;
        }
        catch (Exception ex)
        {
            MooringLog.StartCrashed(logger, ex);
            return 1;
        }

        await using (plugin.ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await plugin.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return 0;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Starts a plugin in this process (tests, benchmarks, custom hosts). The socket is bound before the
    /// driver is constructed (and before <see cref="IPluginStartup.StartAsync"/>, if the driver implements it);
    /// requests that arrive meanwhile wait for the driver.</summary>
    /// <typeparam name="TDriver">The driver class.</typeparam>
    /// <param name="options">Where to listen, the data root, logging and limits.</param>
    /// <param name="createDriver">Constructs the driver; default <see cref="IVolumePlugin{TSelf}.CreateDriver"/>.
    /// The host disposes the driver on stop if it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.</param>
    /// <param name="cancellationToken">Abandons the start.</param>
    /// <returns>The running plugin; dispose it to stop.</returns>
    /// <exception cref="InvalidOperationException">The socket path is unusable (too long, in use, not a socket).</exception>
    public static async Task<RunningPlugin> StartAsync<TDriver>(PluginHostOptions options, Func<PluginContext, TDriver>? createDriver = null, CancellationToken cancellationToken = default)
        where TDriver : class, IVolumePlugin<TDriver>
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRequestBodySize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRequestBodySize, "PluginHostOptions.MaxRequestBodySize must be positive.");
        }

        var descriptor = TDriver.Descriptor;
        var socketPath = options.SocketPath ?? SocketFile.DefaultPath(descriptor.SocketName);
        var managementPath = options.EnableManagementSocket ? options.ManagementSocketPath ?? ManagementSocket.DefaultPathFor(socketPath) : null;
        var dataRoot = MountpointRules.NormalizeRoot(options.DataRoot ?? descriptor.PropagatedMount);
        var ownsLoggerFactory = options.LoggerFactory is null;
        var loggerFactory = options.LoggerFactory ?? CreateLoggerFactory(options.MinimumLogLevel, options.Environment ?? Environment.GetEnvironmentVariable);
        var logger = loggerFactory.CreateLogger("Mooring.Hosting");
        if (options.ManagementSocketPath is null && managementPath is not null && System.Text.Encoding.UTF8.GetByteCount(managementPath) > SocketFile.MaxPathBytes)
        {
            // The plugin socket fits and the default name is 4 bytes longer: serve the plugin rather than fail its start.
            MooringLog.ManagementPathTooLong(logger, managementPath, SocketFile.MaxPathBytes);
            managementPath = null;
        }

        var hardStop = new CancellationTokenSource();
        PluginApplication? application = null;
        var metrics = new PluginMetrics(() => application?.Dispatcher is { IsCompletedSuccessfully: true } ready ? ready.Result.ManagedState : null);
        application = new PluginApplication(loggerFactory, options.MaxRequestBodySize, hardStop.Token, options.StartupTimeout, metrics);
        MetricsCollector? collector = null;
        if (managementPath is not null)
        {
            // Only the default factory's level can be switched; a custom factory keeps its own (PUT answers 409).
            collector = new MetricsCollector(metrics);
            application.Management = new ManagementHandler(application.Dispatcher, (loggerFactory as PluginLoggerFactory)?.Level, collector, typeof(TDriver));
        }

        UnixHttpServer? server = null;
        object? driver = null;
        try
        {
            SocketFile.Prepare(socketPath);
            if (managementPath is not null)
            {
                SocketFile.Prepare(managementPath);
            }

            // One server for both sockets, so the management socket costs no second start-up; it is bound second.
            server = new UnixHttpServer(application, logger, hardStop.Token);
            server.Listen(socketPath, management: false);
            if (managementPath is not null)
            {
                server.Listen(managementPath, management: true);
            }

            server.Start();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(socketPath, SocketFile.Mode);
                if (managementPath is not null)
                {
                    File.SetUnixFileMode(managementPath, ManagementSocket.Mode);
                }
            }

            MooringLog.Listening(logger, socketPath, dataRoot);
            if (managementPath is not null)
            {
                MooringLog.ManagementListening(logger, managementPath);
            }

            // Everything slow happens after the socket exists: dockerd only waits ~12.5 s for it.
            EnsureDataRoot(dataRoot, logger);
            var context = new PluginContext(dataRoot, socketPath, loggerFactory, options.Environment) { Arguments = options.Arguments };
            var typedDriver = createDriver is null ? TDriver.CreateDriver(context) : createDriver(context);
            driver = typedDriver ?? throw new InvalidOperationException("the driver factory returned null");
            if (typedDriver is IPluginStartup startup)
            {
                await startup.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var dispatcher = TDriver.CreateDispatcher(typedDriver, context);
            await dispatcher.StartAsync(cancellationToken).ConfigureAwait(false);
            application.SetDispatcher(dispatcher);
            return new RunningPlugin(server, context, driver, ownsLoggerFactory ? loggerFactory : null, hardStop, options.ShutdownTimeout)
            {
                ManagementSocketPath = managementPath,
                ManagedState = dispatcher.ManagedState as IAsyncDisposable,
                Metrics = (metrics, collector),
            };
        }
        catch (Exception ex)
        {
            application.FailStart(ex);
            if (server is not null)
            {
                await StopQuietlyAsync(server).ConfigureAwait(false);
                SocketFile.Remove(socketPath);
                if (managementPath is not null)
                {
                    SocketFile.Remove(managementPath);
                }
            }

            collector?.Dispose();
            metrics.Dispose();

            await RunningPlugin.DisposeDriverAsync(driver).ConfigureAwait(false);
            hardStop.Dispose();
            if (ownsLoggerFactory)
            {
                loggerFactory.Dispose();
            }

            throw;
        }
    }

    /// <summary>The default logger factory at <paramref name="level"/>, or else at the <c>LOG_LEVEL</c> environment
    /// variable, or else at Information; a <c>LOG_LEVEL</c> that is not a level is a warning, not a failed start.</summary>
    internal static PluginLoggerFactory CreateLoggerFactory(LogLevel? level, Func<string, string?> environment, ConsoleLogSink? sink = null)
    {
        var fromEnvironment = level is null ? environment(LogLevelNames.EnvironmentVariable) : null;
        var valid = LogLevelNames.TryParse(fromEnvironment, out var parsed);
        var factory = new PluginLoggerFactory(level ?? (valid ? parsed : LogLevel.Information), sink);
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && !valid)
        {
            MooringLog.InvalidLogLevel(factory.CreateLogger("Mooring.Hosting"), LogLevelNames.EnvironmentVariable, fromEnvironment, LogLevelNames.Accepted);
        }

        return factory;
    }

    private static void EnsureDataRoot(string dataRoot, ILogger logger)
    {
        try
        {
            // Synced into its parent when made here: the state kept under it is only as durable as its entry. (Under
            // dockerd it is the propagated mount, which exists, and nothing is written.)
            AtomicFile.EnsureDirectory(dataRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // EnsureDirectory names the directory; the warning does too, so it gives only the cause underneath.
            MooringLog.DataRootUnavailable(logger, dataRoot, FileSystemErrors.TryGetCause(ex.InnerException ?? ex) ?? ex.Message);
        }
    }

    internal static async Task StopQuietlyAsync(UnixHttpServer server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await server.StopAsync(timeout.Token).ConfigureAwait(false);
    }
}
