namespace Mooring.Build.Manifest;

/// <summary>Values from MSBuild that replace or extend what the generator put in the manifest. Null means "keep".</summary>
internal sealed class ConfigOverrides
{
    /// <summary>The process arguments; the binary's path in the rootfs by default.</summary>
    public required IReadOnlyList<string> Entrypoint { get; init; }

    /// <summary>The working directory of the plugin process.</summary>
    public required string WorkDir { get; init; }

    /// <summary>PluginDescription.</summary>
    public string? Description { get; init; }

    /// <summary>PluginDocumentation.</summary>
    public string? Documentation { get; init; }

    /// <summary>PluginSocket.</summary>
    public string? Socket { get; init; }

    /// <summary>PluginPropagatedMount.</summary>
    public string? PropagatedMount { get; init; }

    /// <summary>PluginNetwork (network.type).</summary>
    public string? Network { get; init; }

    /// <summary>PluginIpcHost.</summary>
    public bool? IpcHost { get; init; }

    /// <summary>PluginPidHost.</summary>
    public bool? PidHost { get; init; }

    /// <summary>
    /// The architecture the rootfs was built for (amd64, arm64; from the RuntimeIdentifier), written with "os": "linux" so
    /// registries and tools such as skopeo show it; dockerd ignores both fields. Null writes neither.
    /// </summary>
    public string? Architecture { get; init; }

    /// <summary>PluginAllowAllDevices.</summary>
    public bool? AllowAllDevices { get; init; }

    /// <summary>PluginLinuxCapabilities: replaces the generated list when set.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>PluginEnv items, merged by name.</summary>
    public IReadOnlyList<ConfigEnv> Env { get; init; } = [];

    /// <summary>PluginMount items, merged by destination.</summary>
    public IReadOnlyList<ConfigMount> Mounts { get; init; } = [];

    /// <summary>PluginDevice items, merged by path.</summary>
    public IReadOnlyList<ConfigDevice> Devices { get; init; } = [];
}

/// <summary>An <c>env[]</c> entry.</summary>
internal sealed record ConfigEnv(string Name, string Description, IReadOnlyList<string> Settable, string? Value);

/// <summary>A <c>mounts[]</c> entry.</summary>
internal sealed record ConfigMount(string Name, string Description, string? Source, string Destination, string Type,
    IReadOnlyList<string> Options, IReadOnlyList<string> Settable);

/// <summary>A <c>linux.devices[]</c> entry.</summary>
internal sealed record ConfigDevice(string Name, string Description, string? Path, IReadOnlyList<string> Settable);
