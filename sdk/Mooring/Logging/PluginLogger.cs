using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>Writes <c>level: category: message</c> lines (plus the exception, if any). No timestamp: dockerd and
/// journald stamp every line they collect.</summary>
/// <remarks>The minimum level is read from the shared <see cref="LogLevelSwitch"/> on every call, so a change at runtime
/// reaches loggers that were created (and cached by their owners) long before.</remarks>
internal sealed class PluginLogger(string category, LogLevelSwitch minimumLevel, bool isFramework, ConsoleLogSink sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= Minimum;

    // Framework categories (Microsoft.*, from libraries a driver uses) log only warnings and errors unless the level is
    // Debug or lower: their informational lines are noise in dockerd's log.
    private LogLevel Minimum
    {
        get
        {
            var level = minimumLevel.Level;
            return isFramework && level > LogLevel.Debug && level < LogLevel.Warning ? LogLevel.Warning : level;
        }
    }

    // Only the formatter call is generic: NativeAOT compiles this method once per message struct (one per log line of
    // MooringLog), so the line's assembly below lives in Write, compiled once (docs/footprint.md).
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Write(logLevel, formatter(state, exception), exception);
        }
    }

    private void Write(LogLevel logLevel, string message, Exception? exception)
    {
        var line = exception is null
            ? $"{Label(logLevel)}: {category}: {message}{Environment.NewLine}"
            : $"{Label(logLevel)}: {category}: {message}{Environment.NewLine}{exception}{Environment.NewLine}";
        var writer = logLevel >= LogLevel.Warning ? sink.Error : sink.Out;
        lock (sink.Gate)
        {
            writer.Write(line);
            writer.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
