namespace Mooring.Validation;

/// <summary>
/// Checks a Mountpoint a driver returned. dockerd maps a managed plugin's path into the host only when it starts with
/// the propagated mount (and maps an empty one to the plugin's rootfs), so a path elsewhere silently points at the
/// wrong directory. Catching it here turns that into an error that blames the driver.
/// </summary>
internal static class MountpointRules
{
    /// <summary>Returns why <paramref name="mountpoint"/> is unacceptable, or <see langword="null"/> when it is fine.</summary>
    /// <param name="mountpoint">The path the driver returned.</param>
    /// <param name="dataRoot">The normalised absolute data root.</param>
    public static string? GetProblem(string mountpoint, string dataRoot)
    {
        if (mountpoint.Length == 0)
        {
            return "is empty (dockerd would use the plugin's root file system)";
        }

        if (mountpoint[0] != '/')
        {
            return "is not an absolute path";
        }

        if (mountpoint.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character";
        }

        if (!IsNormalized(mountpoint))
        {
            return "is not a normalised path (it has '.', '..', '//' or a trailing '/')";
        }

        if (!IsStrictlyUnder(mountpoint, dataRoot))
        {
            return $"is outside the data root '{dataRoot}'";
        }

        return null;
    }

    /// <summary>Whether <paramref name="path"/> is a directory strictly below <paramref name="root"/>, segment by
    /// segment: <c>/data2</c> is not under <c>/data</c>.</summary>
    public static bool IsStrictlyUnder(string path, string root)
    {
        if (root == "/")
        {
            return path.Length > 1;
        }

        return path.Length > root.Length + 1
            && path.StartsWith(root, StringComparison.Ordinal)
            && path[root.Length] == '/';
    }

    private static bool IsNormalized(string path)
    {
        if (path == "/")
        {
            return true;
        }

        if (path.EndsWith('/'))
        {
            return false;
        }

        foreach (var segment in path.AsSpan(1).Split('/'))
        {
            var s = path.AsSpan(1)[segment];
            if (s.IsEmpty || s is "." || s is "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Normalises a configured data root: absolute, no trailing slash, no '.' or '..'.</summary>
    public static string NormalizeRoot(string dataRoot)
    {
        var full = Path.GetFullPath(dataRoot);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
