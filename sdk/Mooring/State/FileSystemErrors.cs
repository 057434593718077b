namespace Mooring.State;

/// <summary>
/// Turns a file-system failure into a message the user can act on. Without it, a full or read-only data root reaches
/// the docker CLI as "internal error in the driver", with the cause only in the plugin log.
/// </summary>
/// <remarks>
/// On Unix, .NET reports a failed system call as an <see cref="IOException"/> whose <see cref="Exception.HResult"/> is
/// the raw errno (e.g. 28 for ENOSPC); EACCES and EPERM arrive as an <see cref="UnauthorizedAccessException"/> that wraps
/// such an <see cref="IOException"/> (checked by experiment on .NET 10, Linux x64 and arm64 share these errno values).
/// </remarks>
internal static class FileSystemErrors
{
    // Errno values are small positive numbers; anything else in HResult is a .NET HRESULT (e.g. file not found).
    private const int MaxErrno = 4095;

    /// <summary>
    /// The error to show for a failed file-system operation on a volume, or <see langword="null"/> when
    /// <paramref name="exception"/> is not a file-system failure (cancellation, a bug) and should propagate as it is.
    /// </summary>
    /// <param name="volume">The volume the operation was for.</param>
    /// <param name="doing">What was being done, as a verb phrase: <c>save its state</c>, <c>create its directory</c>.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="path">The file or directory concerned, when known (.NET does not keep it on the exception).</param>
    /// <returns>For example <c>volume 'v': could not save its state: no space left on the plugin's data root
    /// (/data/.mooring/volumes/v.json)</c>, with <paramref name="exception"/> as the inner exception.</returns>
    public static VolumeDriverException? TryDescribe(string volume, string doing, Exception exception, string? path = null)
    {
        if (TryGetCause(exception) is not { } cause)
        {
            return null;
        }

        var where = path is null ? string.Empty : $" ({path})";
        return new VolumeDriverException($"volume '{volume}': could not {doing}: {cause}{where}", exception);
    }

    /// <summary>
    /// The cause of a file-system failure in a few words (<c>no space left on the plugin's data root</c>,
    /// <c>permission denied</c>…), or <see langword="null"/> when <paramref name="exception"/> is not one.
    /// </summary>
    /// <param name="exception">The failure.</param>
    public static string? TryGetCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not (IOException or UnauthorizedAccessException))
        {
            return null;
        }

        // .NET raises these itself for ENOENT and ENOTDIR, with no errno in HResult; and with UseSystemResourceKeys (an
        // SDK default) their message is a resource key ("IO_FileNotFound_FileName, /x"), not words.
        if (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return "no such file or directory";
        }

        return Errno(exception) switch
        {
            Libc.ENOSPC or Libc.EDQUOT => "no space left on the plugin's data root",
            Libc.EROFS => "the plugin's data root is read-only",
            Libc.EIO => "I/O error",
            Libc.EACCES or Libc.EPERM => "permission denied",

            // An errno without a dedicated wording, or an error .NET raised itself: its message is still the best cause.
            _ => exception.Message,
        };
    }

    /// <summary>
    /// Like <see cref="TryDescribe"/>, for callers that know <paramref name="exception"/> is a file-system failure; any
    /// other exception still becomes a <see cref="VolumeDriverException"/> carrying its message.
    /// </summary>
    /// <param name="volume">The volume the operation was for.</param>
    /// <param name="doing">What was being done, as a verb phrase.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="path">The file or directory concerned, when known.</param>
    public static VolumeDriverException Describe(string volume, string doing, Exception exception, string? path = null)
        => TryDescribe(volume, doing, exception, path)
            ?? new VolumeDriverException($"volume '{volume}': could not {doing}: {exception.Message}", exception);

    /// <summary>The errno behind <paramref name="exception"/>, or 0 when it carries none.</summary>
    public static int Errno(Exception exception)
    {
        var io = exception as IOException ?? exception.InnerException as IOException;
        if (io is { HResult: > 0 and <= MaxErrno })
        {
            return io.HResult;
        }

        // Access checks .NET makes itself come without an errno; they still mean "permission denied".
        return exception is UnauthorizedAccessException ? Libc.EACCES : 0;
    }
}
