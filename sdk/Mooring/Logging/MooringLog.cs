using Microsoft.Extensions.Logging;

namespace Mooring.Logging;

/// <summary>
/// Every log line of the runtime, in one class. Event IDs are unique across it. One class is also what keeps Mooring.dll
/// reproducible: the .NET 10 [LoggerMessage] generator writes the classes of a compilation in an order that changes
/// from run to run (dotnet/runtime#119587), and with one class there is no order to change (docs/msbuild.md,
/// "Reproducible builds"). Add a line here, not a [LoggerMessage] in another class (LogMessageTests checks).
/// </summary>
internal static partial class MooringLog
{
    /// <summary>The category of the protocol's lines.</summary>
    public const string ProtocolCategory = "Mooring.Protocol";

    // The volume protocol (1-9). Nothing is logged per request at Information: dockerd copies plugin output into its own log
    // (stderr at level=error), so only real problems appear there.
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

    // Request dispatch (10-19).
    [LoggerMessage(10, LogLevel.Error, "Unhandled exception while dispatching {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string path);

    // Start-up (20-29).
    [LoggerMessage(20, LogLevel.Information, "Listening on {SocketPath} (data root {DataRoot})")]
    public static partial void Listening(ILogger logger, string socketPath, string dataRoot);

    [LoggerMessage(24, LogLevel.Information, "Management socket on {SocketPath}")]
    public static partial void ManagementListening(ILogger logger, string socketPath);

    [LoggerMessage(26, LogLevel.Warning, "No management socket: {SocketPath} is longer than the {Limit} bytes a unix socket path allows; set --management-socket")]
    public static partial void ManagementPathTooLong(ILogger logger, string socketPath, int limit);

    [LoggerMessage(25, LogLevel.Warning, "{Variable}='{Value}' is not a log level (expected one of {Accepted}); logging at information")]
    public static partial void InvalidLogLevel(ILogger logger, string variable, string value, string accepted);

    [LoggerMessage(21, LogLevel.Warning, "The data root {DataRoot} does not exist and could not be created: {Reason}")]
    public static partial void DataRootUnavailable(ILogger logger, string dataRoot, string reason);

    [LoggerMessage(27, LogLevel.Warning, "--log-level {Level} is ignored: the plugin's own LoggerFactory (PluginHostOptions.LoggerFactory) sets its levels")]
    public static partial void LogLevelIgnored(ILogger logger, string level);

    [LoggerMessage(22, LogLevel.Critical, "The plugin could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(23, LogLevel.Critical, "The plugin could not start")]
    public static partial void StartCrashed(ILogger logger, Exception exception);

    // Shutdown (30-39).
    [LoggerMessage(30, LogLevel.Debug, "Stopping; no longer accepting requests on {SocketPath}")]
    public static partial void Stopping(ILogger logger, string socketPath);

    [LoggerMessage(31, LogLevel.Warning, "Requests were still running when the shutdown timeout elapsed; stopping anyway")]
    public static partial void StopTimedOut(ILogger logger);

    [LoggerMessage(32, LogLevel.Error, "Disposing the driver failed")]
    public static partial void DriverDisposeFailed(ILogger logger, Exception exception);

    [LoggerMessage(33, LogLevel.Information, "Stopped")]
    public static partial void Stopped(ILogger logger);

    // The state store and the mount ledger (50-59).
    [LoggerMessage(50, LogLevel.Error, "Volume '{Volume}' is unavailable: its state file '{Path}' {Reason}. The plugin leaves the file untouched and refuses changes to the volume; upgrade the plugin again, or move the file away if you know it is garbage")]
    public static partial void Unreadable(ILogger logger, string volume, string path, string reason);

    [LoggerMessage(51, LogLevel.Information, "Deleting {Path}, left over by an interrupted write")]
    public static partial void DeletingLeftover(ILogger logger, string path);

    [LoggerMessage(52, LogLevel.Warning, "Could not delete {Path}, left over by an interrupted write; it is harmless and will be retried at the next start")]
    public static partial void LeftoverNotDeleted(ILogger logger, Exception exception, string path);

    [LoggerMessage(53, LogLevel.Debug, "Unmount of volume {Volume} with unknown mount ID {MountId} ignored")]
    public static partial void UnknownMountId(ILogger logger, string volume, string mountId);

    // Volumes whose state the SDK owns (60-79).
    [LoggerMessage(60, LogLevel.Information, "Created volume {Volume}")]
    public static partial void Created(ILogger logger, string volume);

    [LoggerMessage(61, LogLevel.Information, "Removed volume {Volume}")]
    public static partial void Removed(ILogger logger, string volume);

    [LoggerMessage(62, LogLevel.Information, "Loaded {Volumes} volume(s); {Mounted} counted as mounted")]
    public static partial void Loaded(ILogger logger, int volumes, int mounted);

    [LoggerMessage(63, LogLevel.Warning, "Rolled back volume {Volume}: {Reason}")]
    public static partial void RolledBack(ILogger logger, string volume, string reason);

    [LoggerMessage(64, LogLevel.Error, "Could not roll back volume {Volume} ({Reason}); it stays unlisted and is retried at the next start or Create")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, string volume, string reason);

    [LoggerMessage(65, LogLevel.Warning, "Not rolling back volume {Volume} ({Reason}): a mount is counted or its state is unreadable")]
    public static partial void RollbackSkipped(ILogger logger, string volume, string reason);

    [LoggerMessage(66, LogLevel.Warning, "Detached volume {Volume} at {Path}: attached, but no mount of it is counted")]
    public static partial void DetachedOrphan(ILogger logger, string volume, string path);

    [LoggerMessage(67, LogLevel.Error, "Detaching volume {Volume} after a failed Mount failed")]
    public static partial void DetachFailed(ILogger logger, Exception exception, string volume);

    [LoggerMessage(68, LogLevel.Warning, "{Path} is not recorded as a volume of this plugin; it is left untouched")]
    public static partial void StrayDirectory(ILogger logger, string path);

    [LoggerMessage(69, LogLevel.Error, "Volume {Volume} is kept but refused: its recorded options no longer bind ({Reason})")]
    public static partial void Unbindable(ILogger logger, string volume, string reason);

    [LoggerMessage(70, LogLevel.Information, "Finished removing volume {Volume}, interrupted by a crash")]
    public static partial void RemoveFinished(ILogger logger, string volume);

    [LoggerMessage(71, LogLevel.Error, "Could not finish removing volume {Volume}; it stays listed and can be removed again")]
    public static partial void RemoveUnfinished(ILogger logger, Exception exception, string volume);

    [LoggerMessage(72, LogLevel.Warning, "Forgot mount {MountId} of volume {Volume} (management socket): {Released} count(s) released, {Total} left")]
    public static partial void Forgot(ILogger logger, string volume, string mountId, int released, int total);

    [LoggerMessage(73, LogLevel.Information, "Reconciled mounts on request (management socket): {Cleared} volume(s) cleared, {Orphans} orphan mount(s)")]
    public static partial void Reconciled(ILogger logger, int cleared, int orphans);

    [LoggerMessage(83, LogLevel.Warning, "Prepared a downgrade (management socket): {VolumeFiles} volume record(s) and {MountFiles} mount count file(s) written back at format 1; every change is refused until the plugin restarts")]
    public static partial void PreparedDowngrade(ILogger logger, int volumeFiles, int mountFiles);

    // The plugin's HTTP server (74-79). Connections come and go with dockerd's pool: Debug only.
    [LoggerMessage(74, LogLevel.Debug, "Connection {ConnectionId} opened on the {Socket} socket")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string socket);

    [LoggerMessage(75, LogLevel.Debug, "Connection {ConnectionId}: request refused with {StatusCode}: {Problem}")]
    public static partial void RequestRefused(ILogger logger, long connectionId, int statusCode, string problem);

    [LoggerMessage(76, LogLevel.Error, "Connection {ConnectionId} failed and was closed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, long connectionId);

    [LoggerMessage(77, LogLevel.Warning, "Accepting a connection failed; retrying: {Message}")]
    public static partial void AcceptFailed(ILogger logger, string message);

    [LoggerMessage(84, LogLevel.Warning, "The server's event loop cannot start ({Message}); every connection gets a thread of its own instead")]
    public static partial void EventLoopUnavailable(ILogger logger, string message);

    [LoggerMessage(78, LogLevel.Information, "Dropped {Bytes} byte(s) at the end of {Path}: a change a crash interrupted before it was acknowledged")]
    public static partial void DroppedTornChange(ILogger logger, string path, long bytes);

    [LoggerMessage(79, LogLevel.Error, "The state log holds a later change of volume {Volume}, whose state file could not be read; the file is left as it is and the change is not applied: {Change}")]
    public static partial void LogChangeForUnreadable(ILogger logger, string volume, string change);

    [LoggerMessage(80, LogLevel.Warning, "Writing the state log {Path} into its files failed; the log keeps every change and the write is tried again")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(81, LogLevel.Error, "The state in {Directory} could not be brought up to date at start; it is served as it is and every change is refused until the next start")]
    public static partial void StateReadOnly(ILogger logger, Exception exception, string directory);

    [LoggerMessage(82, LogLevel.Warning, "The state directory {Directory} could not be locked, so a second plugin process on the same data root would not be refused")]
    public static partial void StateNotLocked(ILogger logger, Exception exception, string directory);
}
