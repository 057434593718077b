using System.Formats.Tar;
using System.IO.Compression;
using Mooring.Text;

namespace Mooring.Oci.Archives;

/// <summary>
/// Applies image layers, in order, onto a directory: whiteouts (<c>.wh.&lt;name&gt;</c>) delete what lower layers wrote, opaque
/// markers (<c>.wh..wh..opq</c>) empty a directory, and everything else is extracted. Archives from registries are untrusted:
/// absolute names, <c>..</c>, writes through a symbolic link and a path named twice with different types are refused with
/// <see cref="OciErrorCodes.UnsafeArchive"/>; expansion beyond <see cref="LayerLimits"/> with <see cref="OciErrorCodes.LayerTooLarge"/>.
/// Directory modes never follow a symbolic link, hard links are linked (not copied), and owners and times are not applied.
/// </summary>
public static class RootfsFlattener
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101; // 0755

    private enum Kind
    {
        Directory,
        File,
        SymbolicLink,
    }

    /// <summary>Applies one layer file (gzip or plain tar) onto <paramref name="rootDirectory"/>, within <see cref="LayerLimits.Default"/>.</summary>
    /// <param name="layerPath">The layer blob on disk.</param>
    /// <param name="rootDirectory">The directory that receives the flattened file system; created if missing.</param>
    /// <param name="cancellationToken">Stops the extraction between entries.</param>
    /// <exception cref="OciException">The archive is unsafe or malformed (<see cref="OciErrorCodes.UnsafeArchive"/>) or too large (<see cref="OciErrorCodes.LayerTooLarge"/>).</exception>
    public static Task ApplyLayerAsync(string layerPath, string rootDirectory, CancellationToken cancellationToken = default) =>
        ApplyLayerAsync(layerPath, rootDirectory, LayerLimits.Default, layerName: null, cancellationToken);

    /// <summary>Applies one layer file (gzip or plain tar) onto <paramref name="rootDirectory"/>, within <paramref name="limits"/>.</summary>
    /// <param name="layerPath">The layer blob on disk.</param>
    /// <param name="rootDirectory">The directory that receives the flattened file system; created if missing.</param>
    /// <param name="limits">How far the layer may expand.</param>
    /// <param name="layerName">How errors name the layer, for example its digest; the file name when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the extraction between entries.</param>
    /// <returns>How many bytes the layer expanded to (the uncompressed tar stream plus copied hard links).</returns>
    /// <exception cref="OciException">The archive is unsafe or malformed (<see cref="OciErrorCodes.UnsafeArchive"/>) or too large (<see cref="OciErrorCodes.LayerTooLarge"/>).</exception>
    public static Task<long> ApplyLayerAsync(string layerPath, string rootDirectory, LayerLimits limits, string? layerName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return ApplyLayerAsync(layerPath, rootDirectory, new ExpansionBudget(limits), layerName, cancellationToken);
    }

    /// <summary>Applies one layer, charging <paramref name="budget"/>, which all layers of an image share.</summary>
    internal static async Task<long> ApplyLayerAsync(string layerPath, string rootDirectory, ExpansionBudget budget, string? layerName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(layerPath);
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        var root = Path.GetFullPath(rootDirectory);
        var layer = UntrustedText.Escape(layerName ?? Path.GetFileName(layerPath));
        var usedBefore = budget.Used;
        Directory.CreateDirectory(root);

        // Whiteouts only ever hide lower layers, so they go first; the same layer may then recreate what was hidden.
        await ForEachEntryAsync(layerPath, layer, budget, charge: false, async entry =>
        {
            var parts = SplitName(entry.Name, layer);
            if (parts.Count > 0 && parts[^1].StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                ApplyWhiteout(root, parts, entry.Name, layer);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        // Every path this layer names, with its type: a later entry may replace an earlier one of the same type (tar's
        // "last one wins"), but not turn a directory the layer already used into a link, which would redirect the
        // directory's deferred mode (and anything else aimed at it) out of the root.
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        var directoryModes = new Dictionary<string, (List<string> Parts, UnixFileMode Mode)>(StringComparer.Ordinal);
        await ForEachEntryAsync(layerPath, layer, budget, charge: true, async entry =>
        {
            var parts = SplitName(entry.Name, layer);
            if (parts.Count == 0 || parts[^1].StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                return;
            }

            if (KindOf(entry.EntryType) is { } kind)
            {
                Record(kinds, parts, kind, entry.Name, layer);
            }

            var parent = EnsureParent(root, parts, entry.Name, layer);
            var target = Path.Combine(parent, parts[^1]);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!IsRealDirectory(target))
                    {
                        DeleteNoFollow(target);
                        Directory.CreateDirectory(target);
                    }

                    directoryModes[string.Join('/', parts)] = (parts, entry.Mode);
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

                    // The file was just created by this process at this path, so the path-based chmod hits it.
                    SetMode(target, entry.Mode);
                    break;

                case TarEntryType.SymbolicLink:
                    DeleteNoFollow(target);
                    // The link text is data: it is never followed while extracting (see EnsureParent).
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;

                case TarEntryType.HardLink:
                    LinkOrCopy(root, target, entry, layer, budget);
                    break;

                default:
                    // Devices, FIFOs and GNU metadata entries are not recreated: a flattened base only needs files.
                    break;
            }
        }, cancellationToken).ConfigureAwait(false);

        // Modes last and deepest first, so that a read-only directory does not block writes into it above. Each one is set
        // through a descriptor reached without following links, so a link can never carry a mode out of the root.
        foreach (var (parts, mode) in directoryModes.Values.OrderByDescending(d => d.Parts.Count))
        {
            if (!NoFollowFileSystem.TrySetDirectoryMode(root, parts, mode | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
            {
                var name = string.Join('/', parts);
                throw Unsafe(layer, name, $"'{UntrustedText.Escape(name)}' is no longer a directory when its mode is set (a symbolic link or a file took its place)");
            }
        }

        return budget.Used - usedBefore;
    }

    private static Kind? KindOf(TarEntryType type) => type switch
    {
        TarEntryType.Directory => Kind.Directory,
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.HardLink => Kind.File,
        TarEntryType.SymbolicLink => Kind.SymbolicLink,
        _ => null,
    };

    /// <summary>Records the entry and its parent directories; refuses a path the layer already named with another type.</summary>
    private static void Record(Dictionary<string, Kind> kinds, List<string> parts, Kind kind, string name, string layer)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var path = string.Join('/', parts.Take(i + 1));
            var wanted = i < parts.Count - 1 ? Kind.Directory : kind;
            if (kinds.TryGetValue(path, out var earlier) && earlier != wanted)
            {
                throw Unsafe(layer, name, $"the layer names '{UntrustedText.Escape(path)}' twice with different types (first {Describe(earlier)}, then {Describe(wanted)})");
            }

            kinds[path] = wanted;
        }
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Directory => "a directory",
        Kind.File => "a file",
        _ => "a symbolic link",
    };

    /// <summary>
    /// A hard link to a regular file this or a lower layer wrote inside the root: linked, so N links to a large file cost
    /// one copy of it; copied (and charged to the budget) only where the file system cannot link.
    /// </summary>
    private static void LinkOrCopy(string root, string target, TarEntry entry, string layer, ExpansionBudget budget)
    {
        var linkParts = SplitName(entry.LinkName, layer);
        if (linkParts.Count == 0)
        {
            throw Unsafe(layer, entry.Name, $"its hard link target '{UntrustedText.Escape(entry.LinkName)}' is empty");
        }

        var source = Path.Combine(EnsureParent(root, linkParts, entry.LinkName, layer, create: false), linkParts[^1]);
        if (new FileInfo(source) is not { Exists: true, LinkTarget: null } file)
        {
            throw Unsafe(layer, entry.Name, $"its hard link target '{UntrustedText.Escape(entry.LinkName)}' is not a regular file written earlier");
        }

        if (string.Equals(source, target, StringComparison.Ordinal))
        {
            return; // A link to itself: the file is already there.
        }

        DeleteNoFollow(target);
        if (!NoFollowFileSystem.TryHardLink(source, target))
        {
            budget.Charge(file.Length, layer);
            File.Copy(source, target);
        }
    }

    private static async Task ForEachEntryAsync(string layerPath, string layer, ExpansionBudget budget, bool charge, Func<TarEntry, Task> action, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(layerPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var magic = new byte[2];
        var read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        Stream decompressed = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        try
        {
            await using var limited = new ExpansionLimitStream(decompressed, budget, file.Length, layer, charge);
            await using var reader = new TarReader(limited, leaveOpen: true);
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    throw new OciException(OciErrorCodes.UnsafeArchive, $"The layer {layer} is not a valid tar archive: {UntrustedText.Escape(e.Message)}", e);
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
                    throw new OciException(OciErrorCodes.UnsafeArchive, $"The layer {layer} is corrupt at entry '{UntrustedText.Escape(entry.Name)}': {UntrustedText.Escape(e.Message)}", e);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The file system's message quotes the path, and with it the entry's name: escape it before it reaches a log.
                    throw new IOException($"Could not extract the entry '{UntrustedText.Escape(entry.Name)}' of layer {layer}: {UntrustedText.Escape(e.Message)}", e);
                }
            }
        }
        finally
        {
            if (!ReferenceEquals(decompressed, file))
            {
                await decompressed.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Splits an entry name into safe components; refuses absolute names and <c>..</c>.</summary>
    internal static List<string> SplitName(string name, string layer)
    {
        if (name.StartsWith('/'))
        {
            throw Unsafe(layer, name, "it is an absolute path");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw Unsafe(layer, name, "it contains '..'");
            }

            if (part.Contains('\0', StringComparison.Ordinal))
            {
                throw Unsafe(layer, name, "it contains a NUL character");
            }

            parts.Add(part);
        }

        return parts;
    }

    /// <summary>Returns the parent directory of the entry, creating missing directories; refuses any symbolic link on the way.</summary>
    private static string EnsureParent(string root, List<string> parts, string name, string layer, bool create = true)
    {
        var current = root;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            var shown = UntrustedText.Escape(string.Join('/', parts.Take(i + 1)));
            if (info.LinkTarget is not null)
            {
                throw Unsafe(layer, name, $"'{shown}' is a symbolic link, and writing through it could leave the root directory");
            }

            if (info.Exists)
            {
                throw Unsafe(layer, name, $"'{shown}' is a file, not a directory");
            }

            if (!Directory.Exists(current))
            {
                if (!create)
                {
                    return current;
                }

                // Just created by this process, so the path-based chmod hits it.
                Directory.CreateDirectory(current);
                SetMode(current, DirectoryMode);
            }
        }

        return current;
    }

    private static void ApplyWhiteout(string root, List<string> parts, string name, string layer)
    {
        var parent = EnsureParent(root, parts, name, layer, create: false);
        if (!Directory.Exists(parent))
        {
            return;
        }

        if (parts[^1] == OpaqueMarker)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(parent))
            {
                DeleteNoFollow(child);
            }

            return;
        }

        var hidden = parts[^1][WhiteoutPrefix.Length..];
        if (hidden.Length == 0 || hidden == "." || hidden == "..")
        {
            throw Unsafe(layer, name, "it is a whiteout without a valid name");
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

    /// <param name="layer">The layer's name, already escaped.</param>
    /// <param name="entryName">The entry's name as read from the archive (escaped here).</param>
    /// <param name="reason">Why; any name inside it already escaped.</param>
    private static OciException Unsafe(string layer, string entryName, string reason) =>
        new(OciErrorCodes.UnsafeArchive, $"Refusing the entry '{UntrustedText.Escape(entryName)}' in layer {layer}: {reason}. The image may be malicious; do not use it as a base.");
}
