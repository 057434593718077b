namespace Mooring.TestFixtures;

/// <summary>What the kernel really has mounted, from this process's view (plugins and dockerd run in the same namespace).</summary>
public static class KernelMounts
{
    /// <summary>Mount points strictly below <paramref name="root"/>, in mount order (unmount them in reverse).</summary>
    public static IReadOnlyList<string> Below(string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + "/";
        return MountPoints().Where(point => point.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Mount points at or under <paramref name="prefix"/>, each once.</summary>
    public static IReadOnlyList<string> AtOrBelow(string prefix) =>
        MountPoints()
            .Where(mount => mount == prefix || mount.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Distinct()
            .ToList();

    public static bool IsMountPoint(string path) => MountPoints().Contains(Path.TrimEndingDirectorySeparator(path));

    private static IEnumerable<string> MountPoints() =>
        File.ReadAllLines("/proc/self/mountinfo").Select(line => Unescape(line.Split(' ')[4]));

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string value) =>
        value.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
