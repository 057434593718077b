using Mooring.PluginConfiguration;

namespace Mooring;

/// <summary>A bind (or other) mount that dockerd adds to the plugin's container.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PluginMountAttribute : Attribute
{
    /// <summary>Creates the mount.</summary>
    /// <param name="destination">The absolute path inside the plugin.</param>
    public PluginMountAttribute(string destination) => Destination = destination;

    /// <summary>The absolute path inside the plugin.</summary>
    public string Destination { get; }

    /// <summary>The name used by <c>docker plugin set NAME.source=…</c>.</summary>
    public string? Name { get; set; }

    /// <summary>A description shown by <c>docker plugin inspect</c>.</summary>
    public string? Description { get; set; }

    /// <summary>The host path. A settable mount needs one (an empty string is allowed), or dockerd refuses
    /// <c>docker plugin set</c>.</summary>
    public string? Source { get; set; }

    /// <summary>The mount type; default <c>bind</c>.</summary>
    public string Type { get; set; } = PluginConfigDefaults.MountType;

    /// <summary>Mount options; default <c>rbind</c>.</summary>
    public string[]? Options { get; set; }

    /// <summary>Whether the user may change <see cref="Source"/> with <c>docker plugin set</c>.</summary>
    public bool Settable { get; set; }
}
