namespace Mooring.Samples.LocalVolume;

/// <summary>Bytes used by a directory tree, for the Status of <c>docker volume inspect</c>.</summary>
internal static class DiskUsage
{
    // Get is called before most operations; a cap keeps a huge volume from making every call slow.
    private const int MaxEntries = 100_000;

    public static ByteSize Measure(string directory)
    {
        long total = 0;
        if (!Directory.Exists(directory))
        {
            return new ByteSize(0);
        }

        var seen = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", options))
        {
            total += file.Length;
            if (++seen >= MaxEntries)
            {
                break;
            }
        }

        return new ByteSize(total);
    }
}
