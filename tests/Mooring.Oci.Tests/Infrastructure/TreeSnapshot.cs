using System.Diagnostics;
using System.Security.Cryptography;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>
/// Every entry under a directory with its type, mode, owner, size, link target, change time and content hash. The
/// change time (ctime) moves on any chmod or chown, even one that sets the same value, so equal snapshots mean
/// nothing touched the tree's metadata or content.
/// </summary>
public static class TreeSnapshot
{
    public static IReadOnlyList<string> Take(string directory)
    {
        // find -printf reads lstat: %y type, %m mode, %U:%G owner, %s size, %C@ ctime, %l link target (never followed).
        var start = new ProcessStartInfo("find", [directory, "-printf", "%P|%y|%m|%U:%G|%s|%C@|%l\\n"]) { RedirectStandardOutput = true };
        using var find = Process.Start(start)!;
        var output = find.StandardOutput.ReadToEnd();
        find.WaitForExit();
        Assert.Equal(0, find.ExitCode);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                var path = Path.Combine(directory, line.Split('|')[0]);
                var regular = line.Split('|')[1] == "f";
                return regular ? line + "|" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : line;
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The inode number of a path (not following a final symbolic link).</summary>
    public static long Inode(string path)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true };
        using var stat = Process.Start(start)!;
        var output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Disk use of a directory tree in KiB, as du counts it (each inode once).</summary>
    public static long DiskUseKiB(string directory)
    {
        var start = new ProcessStartInfo("du", ["-sk", directory]) { RedirectStandardOutput = true };
        using var du = Process.Start(start)!;
        var output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
