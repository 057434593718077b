using Microsoft.Extensions.Logging;

namespace Mooring.Hosting;

/// <summary>How <see cref="VolumePluginHost.StartAsync{TDriver}"/> runs a plugin.</summary>
public sealed class PluginHostOptions
{
    /// <summary>The unix socket path to listen on. Default <c>/run/docker/plugins/&lt;socket&gt;</c>, where dockerd looks
    /// (sdk/Common/Rules/SocketNames.cs).</summary>
    public string? SocketPath { get; set; }

    /// <summary>The data root. Default: the propagated mount.</summary>
    public string? DataRoot { get; set; }

    /// <summary>The logger factory. Default: stdout/stderr at <see cref="MinimumLogLevel"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The lowest level logged by the default logger factory. Default <see langword="null"/>: the
    /// <c>LOG_LEVEL</c> environment variable (read through <see cref="Environment"/>, so that
    /// <c>docker plugin set X LOG_LEVEL=debug</c> works), else <see cref="LogLevel.Information"/>. The management
    /// socket's <c>PUT /log-level</c> changes it while the plugin runs.</summary>
    public LogLevel? MinimumLogLevel { get; set; }

    /// <summary>The management socket (health, volumes, reconcile, forget, log level, metrics, operations; see
    /// docs/troubleshooting.md). Default: beside <see cref="SocketPath"/>, named by
    /// <see cref="Management.ManagementSocket.NameFor"/> (<c>localvolume.sock</c> → <c>localvolume.ctl.sock</c>).</summary>
    public string? ManagementSocketPath { get; set; }

    /// <summary>Whether to serve the management socket. Default <see langword="true"/>.</summary>
    public bool EnableManagementSocket { get; set; } = true;

    /// <summary>The largest request body accepted, in bytes. Default 1 MiB.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>Reads an environment variable (settings binding). Default: the process environment.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>Arguments for the driver (see <see cref="PluginContext.Arguments"/>). Default none.</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>How long in-flight requests may run after shutdown starts. Default 5 seconds (dockerd sends SIGKILL
    /// 10 seconds after SIGTERM). When it elapses the drivers' cancellation tokens fire.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request that arrives while the driver is still starting (loading state, reconciling mounts)
    /// waits before it is answered 503 <c>the plugin is still starting</c>. Default 25 seconds: inside the 30 s that
    /// dockerd allows a call after <c>docker plugin enable</c>, so the user sees a clear error instead of a timeout.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
