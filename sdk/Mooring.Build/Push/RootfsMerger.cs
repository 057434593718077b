using Mooring.Oci.Archives;

namespace Mooring.Build.Push;

/// <summary>
/// Puts a flattened base image under an assembled rootfs: every base entry whose path the rootfs does not already hold is
/// added (files hard-linked from the cache when possible, so this is cheap on every build); what the rootfs holds wins,
/// so the app and its libraries sit on top of the base.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class RootfsMerger
{
    /// <summary>Merges <paramref name="baseDirectory"/> under <paramref name="rootfsDirectory"/>; returns how many entries were added.</summary>
    public static int MergeUnder(string baseDirectory, string rootfsDirectory)
    {
        Directory.CreateDirectory(rootfsDirectory);
        return Merge(new DirectoryInfo(baseDirectory), Path.GetFullPath(rootfsDirectory));
    }

    private static int Merge(DirectoryInfo source, string destination)
    {
        var added = 0;
        foreach (var entry in source.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            var target = Path.Combine(destination, entry.Name);
            var exists = Exists(target);
            if (entry.LinkTarget is { } link)
            {
                if (!exists)
                {
                    File.CreateSymbolicLink(target, link);
                    added++;
                }
            }
            else if (entry is DirectoryInfo directory)
            {
                if (!exists)
                {
                    Directory.CreateDirectory(target);
                    File.SetUnixFileMode(target, directory.UnixFileMode);
                    added++;
                }
                else if (!Directory.Exists(target) || new DirectoryInfo(target).LinkTarget is not null)
                {
                    continue; // The rootfs has a file or a link here: it wins, the base subtree is hidden.
                }

                added += Merge(directory, target);
            }
            else if (entry is FileInfo file && !exists)
            {
                if (!NoFollowFileSystem.TryHardLink(file.FullName, target))
                {
                    File.Copy(file.FullName, target);
                    File.SetUnixFileMode(target, file.UnixFileMode);
                    File.SetLastWriteTimeUtc(target, file.LastWriteTimeUtc);
                }

                added++;
            }
        }

        return added;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
