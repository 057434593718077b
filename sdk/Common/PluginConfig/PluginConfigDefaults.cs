using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>
/// The values config.json gets when nobody gives one: the generator uses them for what an attribute leaves out, Mooring.Build
/// for what a manifest or an MSBuild item leaves out. The model's property initializers, and the defaults of the runtime's
/// attributes (sdk/Mooring/*Attribute.cs), use them too.
/// </summary>
internal static class PluginConfigDefaults
{
    /// <summary><c>interface.types</c> of a volume plugin (docs/protocol.md §3.1).</summary>
    public const string VolumeDriverInterface = "docker.volumedriver/1.0";

    /// <summary><c>propagatedMount</c> when <c>[VolumePlugin]</c> does not name one: where the volumes live inside the plugin.</summary>
    public const string PropagatedMount = "/data";

    /// <summary>A mount's <c>type</c> when the attribute, the MSBuild item or the manifest gives none.</summary>
    public const string MountType = "bind";

    /// <summary>The <c>args</c> setting's name (<c>docker plugin set args=…</c>).</summary>
    public const string ArgsName = "args";

    /// <summary>The <c>os</c> written beside <c>architecture</c>: Docker plugins run on Linux only.</summary>
    public const string OperatingSystem = "linux";

    /// <summary>A mount's <c>options</c> when <c>[PluginMount]</c> gives none: a recursive bind, so mounts under the
    /// source are seen too. (An MSBuild <c>PluginMount</c> item without Options gets none: it says exactly what it wants.)</summary>
    public static IReadOnlyList<string> AttributeMountOptions { get; } = ["rbind"];
}
