using Mooring.Oci;

namespace Mooring.Build;

/// <summary>
/// The error codes the tasks and targets of Mooring.Sdk raise themselves: MOOR1xxx (documented in docs/msbuild.md) and
/// the push settings' MOOR2040–MOOR2041 (docs/push.md). Registry and artefact errors keep the code Mooring.Oci gave them
/// (<see cref="OciErrorCodes"/>, MOOR2001–MOOR2039). tests/Mooring.Build.Tests/ErrorCodeTableTests.cs checks that every
/// code is documented, raised somewhere, and spelt the same in the targets.
/// </summary>
internal static class ErrorCodes
{
    private const string DocsBase = "https://github.com/mooring-sdk/mooring/blob/main/docs/";

    /// <summary>The compiled assembly carries no plugin manifest: no driver class was found.</summary>
    public const string NoDriver = "MOOR1001";

    /// <summary>The RuntimeIdentifier is not a Linux one: raised by Mooring.Sdk.Plugin.targets before publishing.</summary>
    public const string NotLinux = "MOOR1002";

    /// <summary>PublishAot is off and no PluginBaseImage is set: raised by Mooring.Sdk.Plugin.targets before publishing.</summary>
    public const string NoAotNoBaseImage = "MOOR1003";

    /// <summary>An ELF library the plugin needs is not on the build machine.</summary>
    public const string MissingLibrary = "MOOR1004";

    /// <summary>The manifest in the assembly is not valid JSON of the expected shape.</summary>
    public const string BadManifest = "MOOR1005";

    /// <summary>An MSBuild property or item that overrides the manifest has an invalid value.</summary>
    public const string BadOverride = "MOOR1006";

    /// <summary>PluginName is not a valid Docker plugin reference.</summary>
    public const string BadPluginName = "MOOR1007";

    /// <summary>No Docker engine answered.</summary>
    public const string NoEngine = "MOOR1008";

    /// <summary>The docker CLI could not be started.</summary>
    public const string NoDockerCli = "MOOR1009";

    /// <summary>A plugin of that name exists already and PluginReplace is not true.</summary>
    public const string PluginExists = "MOOR1010";

    /// <summary>A docker plugin command failed.</summary>
    public const string DockerCommandFailed = "MOOR1011";

    /// <summary>A PluginRootfsFile/PluginRootfsDirectory item is invalid.</summary>
    public const string BadRootfsItem = "MOOR1012";

    /// <summary>The published plugin binary is missing or is not a native ELF executable.</summary>
    public const string BadBinary = "MOOR1013";

    /// <summary>Two different files want the same path in the rootfs.</summary>
    public const string RootfsConflict = "MOOR1014";

    /// <summary>
    /// The build machine is not Linux: raised by Mooring.Sdk.Plugin.targets before publishing (NativeAOT cannot compile a
    /// Linux binary elsewhere) and by the rootfs step (its libraries come from the build machine).
    /// </summary>
    public const string NotLinuxHost = "MOOR1015";

    /// <summary>The plugin assembly could not be read.</summary>
    public const string BadAssembly = "MOOR1016";

    /// <summary>PluginUpgrade could not install or upgrade the plugin from the registry (the previous version is enabled again).</summary>
    public const string UpgradeFailed = "MOOR1017";

    /// <summary>PluginStaticExecutable links with lld, and the build machine has none (raised by Mooring.Sdk.Plugin.targets).</summary>
    public const string NoLldForStaticExecutable = "MOOR1018";

    /// <summary>A push setting (PluginRegistry, PluginRepository, PluginTags, SOURCE_DATE_EPOCH, PluginBaseImage, …) is invalid.</summary>
    public const string BadSetting = "MOOR2040";

    /// <summary>A task could not read or write a local file (the plugin directory, the rootfs, the layer cache, the tar file).</summary>
    public const string LocalIoFailed = "MOOR2041";

    /// <summary>
    /// The page and anchor that explain <paramref name="code"/>, as the analyzers' helpLinkUri does for MOOR0xxx
    /// (generators/Mooring.Generators/Diagnostics/DiagnosticDescriptors.cs): MOOR1xxx in docs/msbuild.md, MOOR2xxx in
    /// docs/push.md. The targets' &lt;Error HelpLink="…"&gt; values are the same strings (ErrorCodeTableTests checks them).
    /// </summary>
    public static string HelpLink(string code) =>
        DocsBase + (code.StartsWith("MOOR1", StringComparison.Ordinal) ? "msbuild.md#" : "push.md#") + code.ToLowerInvariant();
}
