using Mooring.PluginConfiguration;

namespace Mooring.Build.Manifest;

/// <summary>
/// What MSBuild replaces or adds in the generator's manifest (docs/msbuild.md, Properties and Items). Null means "keep";
/// the fields themselves, their JSON names and defaults belong to the model, <see cref="PluginConfigDocument"/>.
/// </summary>
internal sealed class ConfigOverrides
{
    /// <summary>PluginEntrypoint: the process arguments; the binary's path in the rootfs by default.</summary>
    public required IReadOnlyList<string> Entrypoint { get; init; }

    /// <summary>PluginWorkingDirectory.</summary>
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

    /// <summary>The architecture the rootfs was built for (from the RuntimeIdentifier); null writes no os/architecture.</summary>
    public string? Architecture { get; init; }

    /// <summary>PluginAllowAllDevices.</summary>
    public bool? AllowAllDevices { get; init; }

    /// <summary>PluginLinuxCapabilities: replaces the generated list when set.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>PluginEnv items, merged by name.</summary>
    public IReadOnlyList<PluginConfigEnv> Env { get; init; } = [];

    /// <summary>PluginMount items, merged by destination.</summary>
    public IReadOnlyList<PluginConfigMount> Mounts { get; init; } = [];

    /// <summary>PluginDevice items, merged by path.</summary>
    public IReadOnlyList<PluginConfigDevice> Devices { get; init; } = [];

    /// <summary>Replaces and adds this build's values in <paramref name="config"/>.</summary>
    public void ApplyTo(PluginConfigDocument config)
    {
        config.Entrypoint = Entrypoint;
        config.WorkDir = WorkDir;
        config.Description = Description ?? config.Description;
        config.Documentation = Documentation ?? config.Documentation;
        config.Socket = Socket ?? config.Socket;
        config.PropagatedMount = PropagatedMount ?? config.PropagatedMount;
        config.Network = Network ?? config.Network;
        config.IpcHost = IpcHost ?? config.IpcHost;
        config.PidHost = PidHost ?? config.PidHost;
        config.Architecture = Architecture;
        config.AllowAllDevices = AllowAllDevices ?? config.AllowAllDevices;
        config.Capabilities = Capabilities ?? config.Capabilities;
        Merge(config.Mounts, Mounts, mount => mount.Destination);
        Merge(config.Devices, Devices, device => device.Path ?? "");
        Merge(config.Env, Env, variable => variable.Name);
    }

    // An item replaces the generated entry with the same key in place (keeping the order), or is appended.
    private static void Merge<T>(List<T> entries, IReadOnlyList<T> items, Func<T, string> key)
    {
        foreach (var item in items)
        {
            var index = entries.FindIndex(existing => key(existing) == key(item));
            if (index >= 0)
            {
                entries[index] = item;
            }
            else
            {
                entries.Add(item);
            }
        }
    }
}
