namespace Mooring.State;

/// <summary>The directories under <c>&lt;dataRoot&gt;/.mooring</c>.</summary>
internal static class StateDirectory
{
    /// <summary>
    /// The directory under the data root that holds all SDK state. <see cref="VolumeName"/> reserves it, so that no
    /// volume of a driver that keeps volumes directly under the data root can alias it.
    /// </summary>
    public const string RootName = ".mooring";

    /// <summary>Checks <paramref name="dataRoot"/> and creates <c>&lt;dataRoot&gt;/.mooring/&lt;name&gt;</c>.</summary>
    public static string Prepare(string dataRoot, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        if (!Path.IsPathFullyQualified(dataRoot))
        {
            throw new ArgumentException($"the data root must be an absolute path, got '{dataRoot}'", nameof(dataRoot));
        }

        if (!Directory.Exists(dataRoot))
        {
            throw new DirectoryNotFoundException($"the data root '{dataRoot}' does not exist");
        }

        var directory = Path.Join(Path.GetFullPath(dataRoot), RootName, name);
        AtomicFile.EnsureDirectory(directory);
        return directory;
    }
}
