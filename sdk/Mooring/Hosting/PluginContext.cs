using Microsoft.Extensions.Logging;

namespace Mooring.Hosting;

/// <summary>What a running plugin knows about where it runs. Drivers may take it in their constructor.</summary>
public sealed class PluginContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="dataRoot">The absolute directory under which volumes live and every Mountpoint must lie.</param>
    /// <param name="socketPath">The unix socket the plugin listens on.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="environment">Reads an environment variable (settings binding); defaults to the process environment.</param>
    public PluginContext(string dataRoot, string socketPath, ILoggerFactory loggerFactory, Func<string, string?>? environment = null)
    {
        DataRoot = dataRoot;
        SocketPath = socketPath;
        LoggerFactory = loggerFactory;
        Environment = environment ?? System.Environment.GetEnvironmentVariable;
    }

    /// <summary>The absolute directory under which volumes live: the propagated mount inside Docker, or
    /// <c>--data-root</c> when the plugin runs on its own.</summary>
    public string DataRoot { get; }

    /// <summary>The unix socket the plugin listens on.</summary>
    public string SocketPath { get; }

    /// <summary>The logger factory (stdout for information, stderr for warnings and errors).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Command-line arguments the host did not consume (for example the plugin's <c>args</c> from
    /// config.json, or anything after <c>--</c>). Empty by default.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}
