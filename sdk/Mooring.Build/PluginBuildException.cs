namespace Mooring.Build;

/// <summary>
/// A problem with the user's project or machine that the task reports as an MSBuild error with a MOOR1xxx code.
/// The message names the problem and says how to fix it.
/// </summary>
internal sealed class PluginBuildException(string code, string message) : Exception(message)
{
    /// <summary>The MOOR1xxx error code (see docs/msbuild.md).</summary>
    public string Code { get; } = code;
}
