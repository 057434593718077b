using Microsoft.Extensions.Logging;

namespace Mooring.State;

/// <summary>The directories under <c>&lt;dataRoot&gt;/.mooring</c> and what loading one of them involves.</summary>
internal static class StateDirectory
{
    /// <summary>The directory under the data root that holds all SDK state.</summary>
    public const string RootName = ".mooring";

    /// <summary>Checks <paramref name="dataRoot"/> and creates <c>&lt;dataRoot&gt;/.mooring/&lt;name&gt;</c>.</summary>
    public static string Prepare(string dataRoot, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        if (!Path.IsPathFullyQualified(dataRoot))
        {
            throw new ArgumentException($"the data root must be an absolute path, got '{dataRoot}'", nameof(dataRoot));
        }

        if (!System.IO.Directory.Exists(dataRoot))
        {
            throw new DirectoryNotFoundException($"the data root '{dataRoot}' does not exist");
        }

        var directory = Path.Join(Path.GetFullPath(dataRoot), RootName, name);
        AtomicFile.EnsureDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Deletes the temporary files a crash left behind and returns the files ending in <paramref name="extension"/>,
    /// ordered by name.
    /// </summary>
    public static IReadOnlyList<string> Scan(string directory, string extension, ILogger logger)
    {
        var result = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var fileName = Path.GetFileName(path);
            if (fileName.EndsWith(AtomicFile.TempExtension, StringComparison.Ordinal))
            {
                logger.LogInformation("Deleting {Path}, left over by an interrupted write", path);
                File.Delete(path);
            }
            else if (fileName.EndsWith(extension, StringComparison.Ordinal) && fileName.Length > extension.Length)
            {
                result.Add(path);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>Moves an unreadable state file aside (keeping it for a human) and logs why.</summary>
    public static void Quarantine(string path, string reason, ILogger logger)
    {
        var target = path + VolumeStateStore.CorruptExtension;
        if (File.Exists(target))
        {
            target = $"{path}.{DateTime.UtcNow:yyyyMMddTHHmmssfff}{VolumeStateStore.CorruptExtension}";
        }

        try
        {
            File.Move(path, target);
            logger.LogError("Ignoring state file {Path}: {Reason}; it was renamed to {Target}", path, reason, target);
        }
        catch (IOException ex)
        {
            logger.LogError(ex, "Ignoring state file {Path}: {Reason}; renaming it failed", path, reason);
        }
    }
}
