namespace Mooring.State;

/// <summary>
/// Deletes a volume's data without ever deleting through a mount: a Remove that ran <c>rm -rf</c> on a directory still
/// mounted (or with a mount below it) would destroy the backend's data or, for a bind mount, the host's.
/// </summary>
public static class SafeDelete
{
    /// <summary>
    /// Deletes the directory <paramref name="path"/> and everything in it, after checking that it lies strictly inside
    /// <paramref name="dataRoot"/> and that neither it nor anything below it is a mount point. Symbolic links are removed,
    /// never followed, and the walk refuses to descend into another filesystem or a mount root it finds on the way.
    /// </summary>
    /// <remarks>
    /// The walk works on file descriptors (<c>openat</c> with <c>O_NOFOLLOW|O_DIRECTORY</c>, <c>unlinkat</c>, <c>statx</c>),
    /// from the data root down: a directory swapped for a symlink while it runs is never entered, trees deeper than
    /// PATH_MAX are deleted, file names need not be UTF-8, and a mount is recognised by device, mount ID and the
    /// kernel's mount-root attribute even when the mount table lists it under another path. If it stops (an error,
    /// cancellation), what was deleted stays deleted and calling it again carries on.
    /// </remarks>
    /// <param name="path">The directory to delete.</param>
    /// <param name="dataRoot">The directory it must lie inside.</param>
    /// <param name="volume">The volume the directory belongs to, named in errors; the path is named when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the deletion between entries (what was deleted stays deleted).</param>
    /// <returns><see langword="false"/> when there was nothing to delete.</returns>
    /// <exception cref="VolumeDriverException">
    /// The path is outside the data root, is mounted or has a mount below it, or an entry cannot be removed (the message
    /// names the volume, the entry relative to its directory and the cause, e.g. <c>Operation not permitted</c>).
    /// </exception>
    public static async Task<bool> DeleteDirectoryAsync(string path, string dataRoot, string? volume = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        var subject = volume is null ? $"'{path}'" : $"volume '{volume}' ('{path}')";
        if (path.Contains('\0', StringComparison.Ordinal) || dataRoot.Contains('\0', StringComparison.Ordinal))
        {
            throw new VolumeDriverException($"refusing to delete {subject.Replace("\0", "\\0", StringComparison.Ordinal)}: the path contains a NUL character");
        }

        if (!Path.IsPathFullyQualified(path) || !Path.IsPathFullyQualified(dataRoot))
        {
            throw new VolumeDriverException($"refusing to delete {subject}: the path and the data root must be absolute");
        }

        var target = MountTable.Normalize(path);
        var root = MountTable.Normalize(dataRoot);
        if (target == root || !MountTable.IsAtOrBelow(target, root))
        {
            throw new VolumeDriverException($"refusing to delete {subject}: it is not inside the data root '{root}'");
        }

        // From here on the tree is reached through descriptors only (see DirectoryTreeDeleter): no path below the data
        // root is resolved again, so nothing swapped in later is followed.
        try
        {
            var found = DirectoryTreeDeleter.Locate(root, target, subject, out var deleter);
            if (deleter is null)
            {
                return found == DirectoryTreeDeleter.Found.LinkRemoved;
            }

            using (deleter)
            {
                var mounts = MountTableCache.Shared.Current().MountsAtOrBelow(target);
                if (mounts.Count > 0)
                {
                    throw new VolumeDriverException(
                        $"refusing to delete {subject}: '{mounts[0].MountPoint}' is still mounted ({mounts[0].FileSystemType}); unmount it first");
                }

                await Task.Run(() => deleter.Delete(cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (EntryPointNotFoundException e)
        {
            // statx is in glibc from 2.28 on; an older C library must not turn a Remove into a crash.
            throw new VolumeDriverException($"cannot delete {subject}: the C library lacks a call safe deletion needs ({e.Message})", e);
        }
    }
}
