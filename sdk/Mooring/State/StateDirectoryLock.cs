using Microsoft.Extensions.Logging;
using Mooring.Logging;

namespace Mooring.State;

/// <summary>
/// The lock a process holds on a state directory while it has the directory open, so that a second process opening it
/// (a second instance of the plugin on the same data root) is refused before it touches anything. Without it, the
/// second one would replay and then empty the first one's log, and with it changes the first one had acknowledged.
/// </summary>
/// <remarks>
/// A POSIX record lock (<c>fcntl(F_SETLK)</c>, through <see cref="FileStream.Lock"/>) on <see cref="FileName"/> in the
/// directory: the kernel releases it when the process ends, <c>kill -9</c> included, so a crashed plugin never locks
/// its successor out. Such a lock belongs to the process, not to one descriptor: opening the directory again in the
/// same process is not refused (tests do that to stand in for a restart). Where no lock can be taken (a read-only or
/// full data root, a file system without locks) the directory is opened without one and a warning says why.
/// </remarks>
internal sealed class StateDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in a state directory; it is neither a state file nor a temporary one.</summary>
    public const string FileName = "lock";

    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    /// <summary>Locks <paramref name="directory"/> for this process, or returns <see langword="null"/> (with a warning)
    /// when the file system cannot hold a lock.</summary>
    /// <exception cref="IOException">Another process has the directory open.</exception>
    public static StateDirectoryLock? Acquire(string directory, ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null; // plugins run on Linux, as Libc's calls do
        }

        var path = Path.Join(directory, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MooringLog.StateNotLocked(logger, ex, directory);
            return null;
        }

        try
        {
            file.Lock(0, 1);
            return new StateDirectoryLock(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            // What fcntl(F_SETLK) returns when another process holds the lock (Linux: EAGAIN; POSIX also allows EACCES).
            if (FileSystemErrors.Errno(ex) is Libc.EAGAIN or Libc.EACCES)
            {
                throw new IOException(
                    $"the state directory '{directory}' is in use by another process: another instance of this plugin is " +
                    "running on the same data root. Stop it first; two processes changing one state would overwrite each " +
                    "other's changes", ex);
            }

            MooringLog.StateNotLocked(logger, ex, directory);
            return null;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();
}
