using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>
/// The plugin's config.json (Docker's plugin config v1, docs/protocol.md §3.1): the one model that the source generator
/// fills from the driver's attributes and Mooring.Build completes with MSBuild's values; <see cref="PluginConfigWriter"/>
/// is its only writer. Key names are in <see cref="PluginConfigKeys"/>, default values in <see cref="PluginConfigDefaults"/>.
/// </summary>
/// <remarks>One source file compiled into the generator (netstandard2.0) and Mooring.Build, like sdk/Common/UntrustedText.cs.</remarks>
internal sealed class PluginConfigDocument
{
    /// <summary><c>description</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>documentation</c>: a URL.</summary>
    public string Documentation { get; set; } = "";

    /// <summary><c>entrypoint</c>; null leaves it out, as the generator's manifest does (the build knows the binary's path).</summary>
    public IReadOnlyList<string>? Entrypoint { get; set; }

    /// <summary><c>workdir</c>; null leaves it out, as the generator's manifest does.</summary>
    public string? WorkDir { get; set; }

    /// <summary><c>interface.types</c>, e.g. <see cref="PluginConfigDefaults.VolumeDriverInterface"/>.</summary>
    public IReadOnlyList<string> InterfaceTypes { get; set; } = [];

    /// <summary><c>interface.socket</c>: a file name under /run/docker/plugins.</summary>
    public string Socket { get; set; } = "";

    /// <summary><c>interface.protocolscheme</c>; written only when not empty.</summary>
    public string ProtocolScheme { get; set; } = "";

    /// <summary><c>network.type</c>: host, none, bridge or empty.</summary>
    public string Network { get; set; } = "";

    /// <summary><c>propagatedMount</c>; empty for none (<see cref="PluginConfigDefaults.PropagatedMount"/> is the attribute's default).</summary>
    public string PropagatedMount { get; set; } = "";

    /// <summary><c>mounts[]</c>.</summary>
    public List<PluginConfigMount> Mounts { get; set; } = [];

    /// <summary><c>linux.capabilities</c>.</summary>
    public IReadOnlyList<string> Capabilities { get; set; } = [];

    /// <summary><c>linux.allowAllDevices</c>.</summary>
    public bool AllowAllDevices { get; set; }

    /// <summary><c>linux.devices[]</c>.</summary>
    public List<PluginConfigDevice> Devices { get; set; } = [];

    /// <summary><c>env[]</c>.</summary>
    public List<PluginConfigEnv> Env { get; set; } = [];

    /// <summary><c>args</c>.</summary>
    public PluginConfigArgs Args { get; set; } = new();

    /// <summary><c>ipchost</c>.</summary>
    public bool IpcHost { get; set; }

    /// <summary><c>pidhost</c>.</summary>
    public bool PidHost { get; set; }

    /// <summary>
    /// <c>architecture</c> (amd64, arm64), written with <c>"os": "linux"</c> (<see cref="PluginConfigDefaults.OperatingSystem"/>)
    /// so registries and tools such as skopeo show it (the names of an OCI image config); dockerd ignores both. Null writes neither.
    /// </summary>
    public string? Architecture { get; set; }
}
