using System.Text;
using Mooring.Hosting.Http;
using Mooring.Rules;
using Mooring.State;

namespace Mooring.Hosting;

/// <summary>Prepares and cleans up the unix socket path the plugin listens on.</summary>
internal static class SocketFile
{
    // sun_path is 108 bytes including the terminating NUL.
    public const int MaxPathBytes = 107;

    /// <summary>The socket mode go-plugins-helpers uses: dockerd (root) and the docker group may connect.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Where dockerd looks for a plugin socket named <paramref name="socketName"/> (config.json
    /// <c>interface.socket</c>, checked by <see cref="SocketNames.Problem"/> when it is built): the default socket path.</summary>
    public static string DefaultPath(string socketName) => SocketNames.Directory + "/" + socketName;

    /// <summary>Makes <paramref name="path"/> ready to bind: creates its directory and removes a stale socket left
    /// by a plugin that died without cleaning up (dockerd would otherwise find a dead socket, and bind would fail).</summary>
    /// <exception cref="InvalidOperationException">The path is unusable; the message says why.</exception>
    public static void Prepare(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new InvalidOperationException($"socket path '{path}' must be absolute");
        }

        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxPathBytes)
        {
            throw new InvalidOperationException($"socket path '{path}' is {bytes} bytes long; unix sockets allow at most {MaxPathBytes}");
        }

        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            if (File.Exists(directory))
            {
                throw new InvalidOperationException($"socket path '{path}' is inside '{directory}', which is a file, not a directory");
            }

            try
            {
                // The one owner of how a directory that cannot be made is named (the data root's goes through it too).
                AtomicFile.EnsureDirectory(directory);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"socket path '{path}': {ex.Message}", ex);
            }
        }

        if (Directory.Exists(path))
        {
            throw new InvalidOperationException($"socket path '{path}' is a directory");
        }

        if (!File.Exists(path))
        {
            return;
        }

        // .NET cannot tell a socket from a regular file without P/Invoke. A socket has length 0, and connecting tells
        // a live listener (another instance: refuse to steal its path) from a stale socket (remove it).
        if (new FileInfo(path).Length != 0)
        {
            throw new InvalidOperationException($"socket path '{path}' exists and is not a socket; remove it or choose another path");
        }

        if (UnixSocket.IsListening(path))
        {
            throw new InvalidOperationException($"socket path '{path}' is in use: another process is listening on it");
        }

        File.Delete(path);
    }

    /// <summary>Removes the socket file on shutdown so that dockerd does not find a dead socket.</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next start removes a stale socket anyway.
        }
    }
}
