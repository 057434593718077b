namespace Mooring.State;

/// <summary>
/// Replaces a file so that a crash at any instant leaves either the old content or the new, never neither and never a
/// torn mix: write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory
/// (shared with concurrent writers to that directory: <see cref="DirectorySync"/>).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Temporary files end with this; anything with it found at start-up is a leftover of a crash.</summary>
    public const string TempExtension = ".tmp";

    /// <summary>Atomically sets the content of <paramref name="path"/>, a file in <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(DirectorySync directory, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        EnsureIn(directory, path);

        // The temporary name does not derive from the target's so that a long target name cannot overflow NAME_MAX,
        // and the leading dot keeps it out of the way of record names (which end in ".json").
        var temp = Path.Join(directory.Directory, "." + Guid.NewGuid().ToString("N") + TempExtension);
        try
        {
            var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            });
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            // Past this point the change is made: finish it even if the caller gives up, or memory and disk disagree.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        // The rename is durable once the directory is; concurrent writers to the directory share the fsync.
        await directory.SyncAsync().ConfigureAwait(false);
    }

    /// <summary>Deletes <paramref name="path"/>, a file in <paramref name="directory"/>, durably; returns whether it
    /// existed.</summary>
    public static async Task<bool> DeleteAsync(DirectorySync directory, string path)
    {
        EnsureIn(directory, path);

        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        await directory.SyncAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Creates <paramref name="directory"/> (and its parents) and makes the new entries durable.</summary>
    /// <exception cref="IOException">It cannot be created; the message names it and says why.</exception>
    public static void EnsureDirectory(string directory)
    {
        // Every directory this call creates, deepest first: each new entry is durable only once its parent is synced,
        // the top one's included (a crash could otherwise take the whole new tree, and the log in it, away).
        var created = new List<string>();
        for (var path = Path.TrimEndingDirectorySeparator(directory); !string.IsNullOrEmpty(path) && !Directory.Exists(path); path = Path.GetDirectoryName(path))
        {
            created.Add(path);
        }

        if (created.Count == 0)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (FileSystemErrors.TryGetCause(ex) is { } cause)
        {
            // .NET's own message names at most the part of the path that failed, and is a resource key in a plugin.
            throw new IOException($"cannot create the directory '{directory}': {cause}", ex);
        }

        foreach (var path in created)
        {
            if (Path.GetDirectoryName(path) is { } parent)
            {
                Libc.FsyncDirectory(parent);
            }
        }
    }

    // The fsync must be of the directory the entry changed in; anything else would acknowledge a change that is not durable.
    private static void EnsureIn(DirectorySync directory, string path)
    {
        if (!string.Equals(Path.GetDirectoryName(path), directory.Directory, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not in '{directory.Directory}'", nameof(path));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
