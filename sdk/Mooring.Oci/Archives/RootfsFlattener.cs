using System.Formats.Tar;
using System.IO.Compression;

namespace Mooring.Oci;

/// <summary>
/// Applies image layers, in order, onto a directory: whiteouts (<c>.wh.&lt;name&gt;</c>) delete what lower layers wrote, opaque
/// markers (<c>.wh..wh..opq</c>) empty a directory, and everything else is extracted. Archives from registries are untrusted:
/// absolute names, <c>..</c>, and writes through a symbolic link are refused with <see cref="OciErrorCodes.UnsafeArchive"/>.
/// </summary>
public static class RootfsFlattener
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101; // 0755

    /// <summary>Applies one layer file (gzip or plain tar) onto <paramref name="rootDirectory"/>.</summary>
    /// <param name="layerPath">The layer blob on disk.</param>
    /// <param name="rootDirectory">The directory that receives the flattened file system; created if missing.</param>
    /// <param name="cancellationToken">Stops the extraction between entries.</param>
    /// <exception cref="OciException">The archive is unsafe or malformed (<see cref="OciErrorCodes.UnsafeArchive"/>).</exception>
    public static async Task ApplyLayerAsync(string layerPath, string rootDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(layerPath);
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        string root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(root);

        // Whiteouts only ever hide lower layers, so they go first; the same layer may then recreate what was hidden.
        await ForEachEntryAsync(layerPath, async entry =>
        {
            var parts = SplitName(entry.Name, layerPath);
            if (parts.Count > 0 && parts[^1].StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                ApplyWhiteout(root, parts, entry.Name, layerPath);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var directoryModes = new List<(string Path, UnixFileMode Mode)>();
        await ForEachEntryAsync(layerPath, async entry =>
        {
            var parts = SplitName(entry.Name, layerPath);
            if (parts.Count == 0 || parts[^1].StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                return;
            }

            string parent = EnsureParent(root, parts, entry.Name, layerPath);
            string target = Path.Combine(parent, parts[^1]);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!IsRealDirectory(target))
                    {
                        DeleteNoFollow(target);
                        Directory.CreateDirectory(target);
                    }

                    directoryModes.Add((target, entry.Mode));
                    break;

                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    DeleteNoFollow(target);
                    await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    SetMode(target, entry.Mode);
                    break;

                case TarEntryType.SymbolicLink:
                    DeleteNoFollow(target);
                    // The link text is data: it is never followed while extracting (see EnsureParent).
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;

                case TarEntryType.HardLink:
                    var linkParts = SplitName(entry.LinkName, layerPath);
                    if (linkParts.Count == 0)
                    {
                        throw Unsafe(layerPath, entry.Name, $"its hard link target '{entry.LinkName}' is empty");
                    }

                    string source = Path.Combine(EnsureParent(root, linkParts, entry.LinkName, layerPath, create: false), linkParts[^1]);
                    if (new FileInfo(source) is not { Exists: true, LinkTarget: null })
                    {
                        throw Unsafe(layerPath, entry.Name, $"its hard link target '{entry.LinkName}' is not a regular file written earlier");
                    }

                    DeleteNoFollow(target);
                    // A copy, not a link: the BCL has no hard-link API, and a copy is equivalent for a root file system we re-pack.
                    File.Copy(source, target);
                    break;

                default:
                    // Devices, FIFOs and GNU metadata entries are not recreated: a flattened base only needs files.
                    break;
            }
        }, cancellationToken).ConfigureAwait(false);

        // Modes last and deepest first, so that a read-only directory does not block writes into it above.
        foreach (var (path, mode) in directoryModes.OrderByDescending(d => d.Path.Length))
        {
            SetMode(path, mode | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static async Task ForEachEntryAsync(string layerPath, Func<TarEntry, Task> action, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(layerPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        byte[] magic = new byte[2];
        int read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        Stream stream = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        try
        {
            await using var reader = new TarReader(stream, leaveOpen: true);
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    throw new OciException(OciErrorCodes.UnsafeArchive, $"The layer '{layerPath}' is not a valid tar archive: {e.Message}", e);
                }

                if (entry is null)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await action(entry).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    throw new OciException(OciErrorCodes.UnsafeArchive, $"The layer '{layerPath}' is corrupt at entry '{entry.Name}': {e.Message}", e);
                }
            }
        }
        finally
        {
            if (!ReferenceEquals(stream, file))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Splits an entry name into safe components; refuses absolute names and <c>..</c>.</summary>
    internal static List<string> SplitName(string name, string layerPath)
    {
        if (name.StartsWith('/'))
        {
            throw Unsafe(layerPath, name, "it is an absolute path");
        }

        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw Unsafe(layerPath, name, "it contains '..'");
            }

            if (part.Contains('\0', StringComparison.Ordinal))
            {
                throw Unsafe(layerPath, name, "it contains a NUL character");
            }

            parts.Add(part);
        }

        return parts;
    }

    /// <summary>Returns the parent directory of the entry, creating missing directories; refuses any symbolic link on the way.</summary>
    private static string EnsureParent(string root, List<string> parts, string name, string layerPath, bool create = true)
    {
        string current = root;
        for (int i = 0; i < parts.Count - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                throw Unsafe(layerPath, name, $"'{string.Join('/', parts.Take(i + 1))}' is a symbolic link, and writing through it could leave the root directory");
            }

            if (info.Exists)
            {
                throw Unsafe(layerPath, name, $"'{string.Join('/', parts.Take(i + 1))}' is a file, not a directory");
            }

            if (!Directory.Exists(current))
            {
                if (!create)
                {
                    return current;
                }

                Directory.CreateDirectory(current);
                SetMode(current, DirectoryMode);
            }
        }

        return current;
    }

    private static void ApplyWhiteout(string root, List<string> parts, string name, string layerPath)
    {
        string parent = EnsureParent(root, parts, name, layerPath, create: false);
        if (!Directory.Exists(parent))
        {
            return;
        }

        if (parts[^1] == OpaqueMarker)
        {
            foreach (string child in Directory.EnumerateFileSystemEntries(parent))
            {
                DeleteNoFollow(child);
            }

            return;
        }

        string hidden = parts[^1][WhiteoutPrefix.Length..];
        if (hidden.Length == 0 || hidden == "." || hidden == "..")
        {
            throw Unsafe(layerPath, name, "it is a whiteout without a valid name");
        }

        DeleteNoFollow(Path.Combine(parent, hidden));
    }

    private static bool IsRealDirectory(string path) =>
        new DirectoryInfo(path) is { Exists: true, LinkTarget: null };

    /// <summary>Deletes a file, link or directory tree without following symbolic links.</summary>
    private static void DeleteNoFollow(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            // Recursive delete unlinks symbolic links inside; it does not follow them.
            Directory.Delete(path, recursive: true);
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static OciException Unsafe(string layerPath, string entryName, string reason) =>
        new(OciErrorCodes.UnsafeArchive, $"Refusing the entry '{entryName}' in layer '{Path.GetFileName(layerPath)}': {reason}. The image may be malicious; do not use it as a base.");
}
