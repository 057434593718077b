using Microsoft.Extensions.Logging;

namespace Mooring.Protocol;

/// <summary>The protocol's log lines. Nothing is logged per request at Information: dockerd copies plugin output into
/// its own log (stderr at level=error), so only real problems should appear there.</summary>
internal static partial class ProtocolLog
{
    public const string Category = "Mooring.Protocol";

    [LoggerMessage(1, LogLevel.Debug, "{Endpoint} failed: {Message}")]
    public static partial void DriverError(ILogger logger, string endpoint, string message);

    [LoggerMessage(2, LogLevel.Error, "{Endpoint} for volume '{Volume}' failed with an unexpected exception")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string endpoint, string volume);

    [LoggerMessage(3, LogLevel.Error, "{Endpoint} failed with an unexpected exception")]
    public static partial void UnexpectedErrorNoVolume(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(4, LogLevel.Debug, "{Endpoint} for '{Volume}' was cancelled (dockerd went away or the plugin is stopping)")]
    public static partial void Cancelled(ILogger logger, string endpoint, string volume);

    [LoggerMessage(5, LogLevel.Error, "{Endpoint}: {Message}")]
    public static partial void InvalidDriverAnswer(ILogger logger, string endpoint, string message);

    [LoggerMessage(6, LogLevel.Debug, "{Endpoint}: rejected request: {Message}")]
    public static partial void BadRequest(ILogger logger, string endpoint, string message);
}
