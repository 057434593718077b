using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>
/// The default logger factory: plain lines on stdout (Information and below) and stderr (Warning and above), built
/// without dependency injection so that nothing slows the plugin's start-up (dockerd waits for the socket).
/// </summary>
/// <remarks>Framework categories (<c>Microsoft.*</c>, i.e. Kestrel) log only warnings and errors unless the minimum
/// level is Debug or lower: Kestrel's informational lines are noise in dockerd's log.</remarks>
internal sealed class PluginLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, PluginLogger> _loggers = new(StringComparer.Ordinal);
    private readonly LogLevel _minimumLevel;
    private readonly ConsoleLogSink _sink;

    public PluginLoggerFactory(LogLevel minimumLevel, ConsoleLogSink? sink = null)
    {
        _minimumLevel = minimumLevel;
        _sink = sink ?? ConsoleLogSink.Process;
    }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => new PluginLogger(name, self.MinimumFor(name), self._sink), this);

    // Providers are a DI-era extension point; this factory has exactly one output.
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The default Mooring logger writes to stdout/stderr only; set PluginHostOptions.LoggerFactory to use other providers.");

    public void Dispose()
    {
        lock (_sink.Gate)
        {
            _sink.Out.Flush();
            _sink.Error.Flush();
        }
    }

    private LogLevel MinimumFor(string category) =>
        _minimumLevel > LogLevel.Debug && category.StartsWith("Microsoft.", StringComparison.Ordinal)
            ? (LogLevel)Math.Max((int)_minimumLevel, (int)LogLevel.Warning)
            : _minimumLevel;
}
