using System.Globalization;
using System.Text;

namespace Mooring.State;

/// <summary>
/// A snapshot of the kernel's mount table (<c>/proc/self/mountinfo</c>): what is really mounted, as opposed to what
/// the plugin believes. Paths are compared as given by the kernel, so pass paths without symlinks in them.
/// </summary>
public sealed class MountTable
{
    /// <summary>Where the kernel publishes this process's mounts.</summary>
    public const string MountInfoPath = "/proc/self/mountinfo";

    private readonly HashSet<string> _mountPoints;

    private MountTable(IReadOnlyList<MountEntry> entries)
    {
        Entries = entries;
        _mountPoints = new HashSet<string>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _mountPoints.Add(entry.MountPoint);
        }
    }

    /// <summary>Every mount, in the kernel's order (parents before the mounts on top of them).</summary>
    public IReadOnlyList<MountEntry> Entries { get; }

    /// <summary>Reads the current mount table of this process.</summary>
    /// <remarks>Synchronously: the kernel writes the text from memory, so the read never waits for a disk, and an
    /// asynchronous file read would move the caller to the thread pool, whose threads a plugin would then start just
    /// for this while it loads (docs/benchmarks.md, "No thread pool while a state-backed plugin starts"). Bytes decoded as
    /// UTF-8 rather than <c>File.ReadAllText</c>: the kernel writes no byte-order mark, and the reader that looks for one
    /// brings the UTF-16 and UTF-32 encodings into every state-backed plugin (38 KB of its binary, docs/footprint.md).</remarks>
    public static MountTable Read() => Parse(Encoding.UTF8.GetString(File.ReadAllBytes(MountInfoPath)));

    /// <summary>Parses mountinfo text (see <c>proc_pid_mountinfo(5)</c>); malformed lines are skipped.</summary>
    /// <param name="mountInfo">The content of a <c>mountinfo</c> file.</param>
    public static MountTable Parse(string mountInfo)
    {
        ArgumentNullException.ThrowIfNull(mountInfo);
        var entries = new List<MountEntry>();
        foreach (var line in mountInfo.Split('\n'))
        {
            if (TryParseLine(line, out var entry))
            {
                entries.Add(entry);
            }
        }

        return new MountTable(entries);
    }

    /// <summary>Whether something is mounted exactly at <paramref name="path"/>.</summary>
    /// <param name="path">An absolute path.</param>
    public bool IsMountPoint(string path) => _mountPoints.Contains(Normalize(path));

    /// <summary>The mounts at <paramref name="path"/> or anywhere below it.</summary>
    /// <param name="path">An absolute path.</param>
    public IReadOnlyList<MountEntry> MountsAtOrBelow(string path)
    {
        // A loop rather than a query: every Remove asks, and the answer is nearly always none.
        var root = Normalize(path);
        List<MountEntry>? found = null;
        for (var i = 0; i < Entries.Count; i++)
        {
            if (IsAtOrBelow(Entries[i].MountPoint, root))
            {
                (found ??= []).Add(Entries[i]);
            }
        }

        return found is null ? [] : found;
    }

    /// <summary>Makes a path comparable with the kernel's: absolute, no <c>.</c>/<c>..</c>, no trailing slash.</summary>
    internal static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>Whether normalized <paramref name="path"/> is <paramref name="root"/> or inside it.</summary>
    internal static bool IsAtOrBelow(string path, string root)
        => root == "/"
            || path == root
            || (path.Length > root.Length && path[root.Length] == '/' && path.StartsWith(root, StringComparison.Ordinal));

    private static bool TryParseLine(string line, out MountEntry entry)
    {
        entry = null!;
        var fields = line.TrimEnd('\r').Split(' ');

        // Six fixed fields, any number of optional fields, the "-" separator, then three more.
        if (fields.Length < 10)
        {
            return false;
        }

        var separator = Array.IndexOf(fields, "-", 6);
        if (separator < 0 || fields.Length < separator + 4)
        {
            return false;
        }

        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            return false;
        }

        entry = new MountEntry(
            id,
            parent,
            fields[2],
            Unescape(fields[3]),
            Unescape(fields[4]),
            fields[5],
            Unescape(fields[separator + 1]),
            Unescape(fields[separator + 2]),
            Unescape(fields[separator + 3]));
        return true;
    }

    /// <summary>Decodes the kernel's <c>\ooo</c> octal escapes (space, tab, newline and backslash in paths).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        // Escapes stand for bytes, and a path is bytes: decode to bytes first, then the whole path as UTF-8.
        var input = Encoding.UTF8.GetBytes(field);
        var output = new List<byte>(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == (byte)'\\' && i + 3 < input.Length && IsOctal(input[i + 1]) && IsOctal(input[i + 2]) && IsOctal(input[i + 3]))
            {
                output.Add((byte)(((input[i + 1] - '0') << 6) | ((input[i + 2] - '0') << 3) | (input[i + 3] - '0')));
                i += 3;
            }
            else
            {
                output.Add(input[i]);
            }
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
