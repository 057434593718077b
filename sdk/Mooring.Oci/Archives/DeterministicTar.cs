using System.Formats.Tar;

namespace Mooring.Oci.Archives;

/// <summary>
/// Writes a directory tree as GNU tar entries in a reproducible way: names sorted ordinally, uid/gid 0, empty user and group
/// names, one fixed timestamp, file-system modes kept, directories and symbolic links included. GNU (not PAX) entries,
/// because .NET names PAX extended headers after the process id.
/// </summary>
internal static class DeterministicTar
{
    private const UnixFileMode DefaultFileMode = (UnixFileMode)0b110_100_100;     // 0644
    private const UnixFileMode DefaultDirectoryMode = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode SymlinkMode = (UnixFileMode)0b111_111_111;          // 0777

    /// <summary>Writes the entries of <paramref name="directory"/> (not the directory itself), each name prefixed with <paramref name="prefix"/>.</summary>
    public static async Task WriteTreeAsync(TarWriter writer, string directory, string prefix, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var entries = new List<(string Name, FileSystemInfo Info)>();
        Collect(new DirectoryInfo(directory), prefix, entries);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, info) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteEntryAsync(writer, name, info, timestamp, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one file (not a directory) under the given name.</summary>
    public static Task WriteFileAsync(TarWriter writer, string name, string path, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        WriteEntryAsync(writer, name, new FileInfo(path), timestamp, cancellationToken);

    /// <summary>Writes one directory entry under the given name (which ends with '/').</summary>
    public static Task WriteDirectoryEntryAsync(TarWriter writer, string name, string path, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        WriteEntryAsync(writer, name, new DirectoryInfo(path), timestamp, cancellationToken);

    private static void Collect(DirectoryInfo directory, string prefix, List<(string, FileSystemInfo)> entries)
    {
        foreach (var info in directory.EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        }))
        {
            var name = prefix + info.Name;
            if (info.LinkTarget is not null)
            {
                entries.Add((name, info));
            }
            else if (info is DirectoryInfo sub)
            {
                entries.Add((name + "/", info));
                Collect(sub, name + "/", entries);
            }
            else if (info is FileInfo file && IsRegular(file))
            {
                entries.Add((name, info));
            }

            // Sockets, FIFOs and device nodes are skipped: they cannot be recreated portably and a plugin rootfs does not need them.
        }
    }

    private static bool IsRegular(FileInfo file)
    {
        if (OperatingSystem.IsWindows() || file.Length > 0)
        {
            return true;
        }

        // FileInfo cannot tell an empty file from a FIFO, socket or device node, and opening a FIFO blocks. Only such
        // zero-length entries are probed, through TarWriter's own lstat-based type detection, which does not open them.
        using var probe = new MemoryStream();
        try
        {
            using (var probeWriter = new TarWriter(probe, TarEntryFormat.Gnu, leaveOpen: true))
            {
                probeWriter.WriteEntry(file.FullName, "probe");
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }

        probe.Position = 0;
        using var reader = new TarReader(probe);
        return reader.GetNextEntry()?.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
    }

    private static async Task WriteEntryAsync(TarWriter writer, string name, FileSystemInfo info, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        GnuTarEntry entry;
        Stream? data = null;
        if (info.LinkTarget is { } target)
        {
            entry = new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = SymlinkMode };
        }
        else if (info is DirectoryInfo)
        {
            entry = new GnuTarEntry(TarEntryType.Directory, name) { Mode = ModeOf(info, DefaultDirectoryMode) };
        }
        else
        {
            entry = new GnuTarEntry(TarEntryType.RegularFile, name) { Mode = ModeOf(info, DefaultFileMode) };
            data = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            entry.DataStream = data;
        }

        entry.ModificationTime = timestamp;
        entry.AccessTime = timestamp;
        entry.ChangeTime = timestamp;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        try
        {
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (data is not null)
            {
                await data.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static UnixFileMode ModeOf(FileSystemInfo info, UnixFileMode fallback) =>
        OperatingSystem.IsWindows() ? fallback : info.UnixFileMode;
}
