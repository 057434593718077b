using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>The minimum level of the default logger factory, shared by all its loggers and changeable while the plugin
/// runs (<c>PUT /log-level</c> on the management socket). Every <see cref="ILogger.IsEnabled"/> reads it, so it is one
/// volatile int: no lock, no allocation.</summary>
internal sealed class LogLevelSwitch(LogLevel level)
{
    private volatile int _level = (int)level;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }
}
