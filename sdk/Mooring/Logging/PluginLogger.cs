using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>Writes <c>level: category: message</c> lines (plus the exception, if any). No timestamp: dockerd and
/// journald stamp every line they collect.</summary>
internal sealed class PluginLogger(string category, LogLevel minimumLevel, ConsoleLogSink sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
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
