using Mooring.PluginConfiguration;

namespace Mooring;

/// <summary>
/// Marks the driver class of a Docker volume plugin. The class must be <c>partial</c> and implement
/// <see cref="IVolumeDriver{TOptions}"/>; the source generator adds the request dispatcher, the option binder and the
/// plugin manifest (the content of <c>config.json</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class VolumePluginAttribute : Attribute
{
    /// <summary>The socket file name under <c>/run/docker/plugins</c>, e.g. <c>localvolume.sock</c>.
    /// Defaults to the class name in lower case without a <c>Driver</c> suffix, plus <c>.sock</c>.</summary>
    public string? Socket { get; set; }

    /// <summary>The plugin's description, shown by <c>docker plugin inspect</c>.</summary>
    public string? Description { get; set; }

    /// <summary>A URL with the plugin's documentation.</summary>
    public string? Documentation { get; set; }

    /// <summary>The absolute in-plugin path that dockerd bind-mounts rshared from the host and under which every
    /// Mountpoint must lie. Default <c>/data</c>.</summary>
    public string PropagatedMount { get; set; } = PluginConfigDefaults.PropagatedMount;

    /// <summary>The network the plugin runs in: <c>host</c>, <c>none</c>, or empty for an isolated namespace
    /// (the default, which asks the user for no privilege).</summary>
    public string? Network { get; set; }

    /// <summary>Linux capabilities added to the plugin, e.g. <c>CAP_SYS_ADMIN</c> to call mount(2).</summary>
    public string[]? LinuxCapabilities { get; set; }

    /// <summary>Gives the plugin access to every host device.</summary>
    public bool AllowAllDevices { get; set; }

    /// <summary>Shares the host's IPC namespace.</summary>
    public bool IpcHost { get; set; }

    /// <summary>Shares the host's PID namespace.</summary>
    public bool PidHost { get; set; }

    /// <summary>Whether the manifest declares the settable <c>LOG_LEVEL</c> environment variable (default
    /// <c>info</c>), so an operator can raise the log level of an installed plugin with
    /// <c>docker plugin set &lt;plugin&gt; LOG_LEVEL=debug</c>. Default <see langword="true"/>; a driver that declares
    /// its own <c>[PluginEnv("LOG_LEVEL")]</c> setting turns it off.</summary>
    public bool LogLevelSetting { get; set; } = true;
}
