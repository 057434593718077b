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
    /// <param name="path">The directory to delete.</param>
    /// <param name="dataRoot">The directory it must lie inside.</param>
    /// <param name="volume">The volume the directory belongs to, named in errors; the path is named when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the deletion between entries (what was deleted stays deleted).</param>
    /// <returns><see langword="false"/> when there was nothing to delete.</returns>
    /// <exception cref="VolumeDriverException">The path is outside the data root, is mounted or has a mount below it.</exception>
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

        // A symlink on the way (e.g. <root>/a -> /etc, deleting <root>/a/b) would lead outside the root.
        for (var parent = Path.GetDirectoryName(target); parent is not null && parent != root; parent = Path.GetDirectoryName(parent))
        {
            if (new FileInfo(parent).LinkTarget is not null)
            {
                throw new VolumeDriverException($"refusing to delete {subject}: '{parent}' is a symbolic link");
            }
        }

        var info = new FileInfo(target);
        if (info.LinkTarget is not null)
        {
            // The volume's directory itself is a link: remove the link, not what it points at.
            File.Delete(target);
            return true;
        }

        if (!Directory.Exists(target))
        {
            return false;
        }

        var table = await MountTable.ReadAsync(cancellationToken).ConfigureAwait(false);
        var mounts = table.MountsAtOrBelow(target);
        if (mounts.Count > 0)
        {
            throw new VolumeDriverException(
                $"refusing to delete {subject}: '{mounts[0].MountPoint}' is still mounted ({mounts[0].FileSystemType}); unmount it first");
        }

        await Task.Run(
            () =>
            {
                var top = Libc.TryStatx(target);
                if (top?.IsMountRoot == true)
                {
                    throw new VolumeDriverException($"refusing to delete {subject}: it is a mount point; unmount it first");
                }

                DeleteContents(target, top, subject, cancellationToken);
                Directory.Delete(target, recursive: false);
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void DeleteContents(string directory, Libc.StatxInfo? top, string subject, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Symlinks (to files or directories) and special files are unlinked themselves.
            if (entry is not DirectoryInfo || (entry.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                File.Delete(entry.FullName);
                continue;
            }

            // Re-checked on the way down: a mount made after the mount table was read must stop the walk too.
            if (top is { } t && Libc.TryStatx(entry.FullName) is { } s
                && (s.IsMountRoot == true || s.DeviceMajor != t.DeviceMajor || s.DeviceMinor != t.DeviceMinor))
            {
                throw new VolumeDriverException($"refusing to delete {subject}: '{entry.FullName}' is a mount point; unmount it first");
            }

            DeleteContents(entry.FullName, top, subject, cancellationToken);
            Directory.Delete(entry.FullName, recursive: false);
        }
    }
}
