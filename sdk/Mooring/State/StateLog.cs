using Microsoft.Extensions.Logging;

namespace Mooring.State;

/// <summary>The log lines of the state store and the mount ledger.</summary>
internal static partial class StateLog
{
    [LoggerMessage(50, LogLevel.Error, "Volume '{Volume}' is unavailable: its state file '{Path}' {Reason}. The plugin leaves the file untouched and refuses changes to the volume; upgrade the plugin again, or move the file away if you know it is garbage")]
    public static partial void Unreadable(ILogger logger, string volume, string path, string reason);

    [LoggerMessage(51, LogLevel.Information, "Deleting {Path}, left over by an interrupted write")]
    public static partial void DeletingLeftover(ILogger logger, string path);

    [LoggerMessage(52, LogLevel.Warning, "Could not delete {Path}, left over by an interrupted write; it is harmless and will be retried at the next start")]
    public static partial void LeftoverNotDeleted(ILogger logger, Exception exception, string path);

    [LoggerMessage(53, LogLevel.Debug, "Unmount of volume {Volume} with unknown mount ID {MountId} ignored")]
    public static partial void UnknownMountId(ILogger logger, string volume, string mountId);
}
