using System.Linq;

namespace Mooring.Rules;

/// <summary>
/// Paths inside the plugin's root file system that config.json names: the propagated mount (<c>[VolumePlugin(PropagatedMount)]</c>,
/// MOOR0006; <c>PluginPropagatedMount</c>, MOOR1006) and the working directory (<c>PluginWorkingDirectory</c>).
/// </summary>
/// <remarks>One source file compiled into each assembly that needs the rule (sdk/Common/Rules, like dotnet/runtime's
/// <c>Common/src</c>): one rule, one owner. The default <c>/data</c> is a config.json default and lives with the config model.</remarks>
internal static class PluginPaths
{
    /// <summary>Why <paramref name="path"/> is not an absolute path inside the plugin (a phrase such as
    /// <c>is not an absolute path</c>), or <see langword="null"/> when it is fine. A '..' segment could leave the rootfs.</summary>
    public static string? AbsolutePathProblem(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return "is not an absolute path";
        }

        if (path.Split('/').Any(segment => segment == ".."))
        {
            return "contains a '..' segment";
        }

        return path.IndexOf('\0') >= 0 ? "contains a NUL character" : null;
    }

    /// <summary>Why <paramref name="path"/> cannot be the propagated mount, or <see langword="null"/> when it is fine:
    /// besides <see cref="AbsolutePathProblem"/>, it must name a directory below the root, because the plugin keeps its
    /// volumes under it and dockerd makes it a shared mount.</summary>
    public static string? PropagatedMountProblem(string path)
    {
        if (path.Length == 0)
        {
            return "is empty; the plugin keeps its volumes under it";
        }

        if (AbsolutePathProblem(path) is { } problem)
        {
            return problem;
        }

        return path.Trim('/').Length == 0 ? "is the root directory; use a directory such as /data" : null;
    }
}
