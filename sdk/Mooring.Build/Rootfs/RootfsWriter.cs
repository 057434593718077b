using Mooring.Oci;

namespace Mooring.Build.Rootfs;

/// <summary>
/// Makes a directory hold exactly what a <see cref="RootfsPlan"/> says. Files whose size, modification time, mode and
/// content already match are left alone, so a second build with no change touches nothing; anything not in the plan is
/// deleted (the rootfs directory belongs to the build).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class RootfsWriter
{
    /// <summary>Applies <paramref name="plan"/> under <paramref name="rootfsDirectory"/>; returns how many entries changed.</summary>
    public static int Apply(RootfsPlan plan, string rootfsDirectory)
    {
        var root = Path.GetFullPath(rootfsDirectory).TrimEnd('/');
        var changes = 0;
        Directory.CreateDirectory(root);

        var keepDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in plan.Directories.Keys.Concat(plan.Files.Keys.Select(ParentOf)))
        {
            for (var d = directory; d != "/" && keepDirectories.Add(d); d = ParentOf(d))
            {
            }
        }

        foreach (var directory in keepDirectories.Order(StringComparer.Ordinal))
        {
            var host = root + directory;
            if (IsLink(host) || File.Exists(host))
            {
                File.Delete(host);
            }

            if (!Directory.Exists(host))
            {
                Directory.CreateDirectory(host);
                changes++;
            }

            var mode = plan.Directories.TryGetValue(directory, out var planned) ? planned : RootfsPlan.DirectoryMode;
            if (File.GetUnixFileMode(host) != mode)
            {
                File.SetUnixFileMode(host, mode);
                changes++;
            }
        }

        foreach (var (rootfsPath, source) in plan.Files)
        {
            var destination = root + rootfsPath;
            var real = RealPath(source);
            var sourceInfo = new FileInfo(real);
            if (!sourceInfo.Exists)
            {
                throw new OciException(ErrorCodes.BadRootfsItem, $"'{source}' (for '{rootfsPath}' in the rootfs) does not exist.");
            }

            if (Directory.Exists(destination) && !IsLink(destination))
            {
                Directory.Delete(destination, recursive: true);
            }

            var destinationInfo = new FileInfo(destination);
            if (destinationInfo.Exists && destinationInfo.LinkTarget is null
                && destinationInfo.Length == sourceInfo.Length && destinationInfo.LastWriteTimeUtc == sourceInfo.LastWriteTimeUtc
                && destinationInfo.UnixFileMode == sourceInfo.UnixFileMode
                && SameContent(real, destination))
            {
                continue;
            }

            if (destinationInfo.Exists || IsLink(destination))
            {
                File.Delete(destination);
            }

            File.Copy(real, destination);
            File.SetUnixFileMode(destination, sourceInfo.UnixFileMode);
            File.SetLastWriteTimeUtc(destination, sourceInfo.LastWriteTimeUtc);
            changes++;
        }

        changes += RemoveStale(root, "/", plan, keepDirectories);
        return changes;
    }

    /// <summary>The final target of <paramref name="path"/> when it is a symbolic link (at any level), else the full path.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            var resolved = target?.FullName ?? full;

            // ResolveLinkTarget resolves the last component only; resolve the directories too (e.g. /lib -> usr/lib).
            var directory = Path.GetDirectoryName(resolved);
            if (directory is null)
            {
                return resolved;
            }

            var realDirectory = RealDirectory(directory);
            return Path.Combine(realDirectory, Path.GetFileName(resolved));
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static string RealDirectory(string directory)
    {
        var parent = Path.GetDirectoryName(directory);
        var realParent = parent is null ? directory : RealDirectory(parent);
        var current = parent is null ? directory : Path.Combine(realParent, Path.GetFileName(directory));
        var link = new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true);
        return link is null ? current : RealDirectory(link.FullName);
    }

    private static int RemoveStale(string root, string rootfsDirectory, RootfsPlan plan, HashSet<string> keepDirectories)
    {
        var removed = 0;
        var host = rootfsDirectory == "/" ? root : root + rootfsDirectory;
        foreach (var entry in new DirectoryInfo(host).EnumerateFileSystemInfos())
        {
            var rootfsPath = (rootfsDirectory == "/" ? "" : rootfsDirectory) + "/" + entry.Name;
            if (entry is DirectoryInfo directory && directory.LinkTarget is null)
            {
                if (keepDirectories.Contains(rootfsPath))
                {
                    removed += RemoveStale(root, rootfsPath, plan, keepDirectories);
                }
                else
                {
                    directory.Delete(recursive: true);
                    removed++;
                }
            }
            else if (!plan.Files.ContainsKey(rootfsPath) || entry.LinkTarget is not null)
            {
                entry.Delete();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Compares the bytes. Size and modification time alone are not proof: a tool that restores times (cp -p, tar,
    /// a git checkout with a fixed date) or a same-size edit within the clock's resolution would ship a stale file.
    /// </summary>
    internal static bool SameContent(string a, string b)
    {
        const int BufferSize = 1 << 16;
        using var first = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var second = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (first.Length != second.Length)
        {
            return false;
        }

        var left = new byte[BufferSize];
        var right = new byte[BufferSize];
        while (true)
        {
            var read = first.ReadAtLeast(left, BufferSize, throwOnEndOfStream: false);
            if (read == 0)
            {
                return true;
            }

            if (second.ReadAtLeast(right, read, throwOnEndOfStream: false) != read || !left.AsSpan(0, read).SequenceEqual(right.AsSpan(0, read)))
            {
                return false;
            }
        }
    }

    private static string ParentOf(string rootfsPath)
    {
        var index = rootfsPath.LastIndexOf('/');
        return index <= 0 ? "/" : rootfsPath[..index];
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
