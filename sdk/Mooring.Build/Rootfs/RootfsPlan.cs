using Mooring.Oci;

namespace Mooring.Build.Rootfs;

/// <summary>What the rootfs must hold: files (rootfs path → source on the build machine) and empty directories.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class RootfsPlan
{
    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, UnixFileMode> _directories = new(StringComparer.Ordinal);

    /// <summary>Rootfs path → host path, sorted by rootfs path.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Rootfs directory → mode, sorted.</summary>
    public IReadOnlyDictionary<string, UnixFileMode> Directories => _directories;

    /// <summary>The directory mode of everything but /tmp.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The mode of /tmp (1777).</summary>
    public const UnixFileMode StickyWorldWritable = DirectoryMode | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    /// <summary>
    /// Adds a file. Adding the same destination twice with the same source is fine; with another source it is a
    /// conflict unless <paramref name="replace"/> is true (explicit items win over resolved libraries).
    /// </summary>
    public void AddFile(string rootfsPath, string hostPath, bool replace = false)
    {
        rootfsPath = Normalize(rootfsPath);
        if (_files.TryGetValue(rootfsPath, out var existing) && !replace && !SameFile(existing, hostPath))
        {
            throw new OciException(ErrorCodes.RootfsConflict,
                $"Two files want '{rootfsPath}' in the plugin rootfs: '{existing}' and '{hostPath}'. Give one of them another Destination.");
        }

        _files[rootfsPath] = hostPath;
    }

    /// <summary>True when <paramref name="rootfsPath"/> is already planned.</summary>
    public bool ContainsFile(string rootfsPath) => _files.ContainsKey(Normalize(rootfsPath));

    /// <summary>Adds an (empty) directory; /tmp gets mode 1777.</summary>
    public void AddDirectory(string rootfsPath)
    {
        rootfsPath = Normalize(rootfsPath);
        if (rootfsPath == "/")
        {
            return;
        }

        _directories[rootfsPath] = rootfsPath == "/tmp" ? StickyWorldWritable : DirectoryMode;
    }

    /// <summary>
    /// Normalises an absolute rootfs path ("//a/./b/" → "/a/b"); rejects relative paths and "..", which could
    /// escape the rootfs.
    /// </summary>
    public static string Normalize(string rootfsPath)
    {
        if (!rootfsPath.StartsWith('/'))
        {
            throw new OciException(ErrorCodes.BadRootfsItem, $"'{rootfsPath}' is not an absolute path inside the plugin rootfs. Write it as /usr/bin/tool.");
        }

        var parts = rootfsPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new OciException(ErrorCodes.BadRootfsItem, $"'{rootfsPath}' contains '..'; rootfs paths must stay inside the rootfs.");
        }

        return "/" + string.Join('/', parts);
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal)
        || string.Equals(RootfsWriter.RealPath(a), RootfsWriter.RealPath(b), StringComparison.Ordinal);
}
