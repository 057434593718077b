using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>
/// The default logger factory: plain lines on stdout (Information and below) and stderr (Warning and above), built
/// without dependency injection so that nothing slows the plugin's start-up (dockerd waits for the socket).
/// </summary>
/// <remarks>Framework categories (<c>Microsoft.*</c>, from libraries a driver uses) log only warnings and errors unless
/// the minimum level is Debug or lower: their informational lines are noise in dockerd's log.</remarks>
internal sealed class PluginLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, PluginLogger> _loggers = new(StringComparer.Ordinal);
    private readonly ConsoleLogSink _sink;

    public PluginLoggerFactory(LogLevel minimumLevel, ConsoleLogSink? sink = null)
    {
        Level = new LogLevelSwitch(minimumLevel);
        _sink = sink ?? ConsoleLogSink.Process;
    }

    /// <summary>The minimum level of every logger of this factory; changing it takes effect at once.</summary>
    public LogLevelSwitch Level { get; }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(
            categoryName,
            static (name, self) => new PluginLogger(name, self.Level, name.StartsWith("Microsoft.", StringComparison.Ordinal), self._sink),
            this);

    // Providers are a DI-era extension point; this factory has exactly one output. The message names the way to
    // other providers: a factory of the plugin's own, given to the host before it starts.
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException(
            "The default Mooring logger writes to stdout/stderr only and takes no providers. To log elsewhere, give the host your own factory: "
            + "VolumePluginHost.RunAsync<TDriver>(args, options => options.LoggerFactory = yourFactory) (docs/attributes.md, \"Custom logging\").");

    public void Dispose()
    {
        lock (_sink.Gate)
        {
            _sink.Out.Flush();
            _sink.Error.Flush();
        }
    }
}
