using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>A <c>mounts[]</c> entry of config.json; Mooring.Build merges entries by <see cref="Destination"/>.</summary>
internal sealed class PluginConfigMount
{
    /// <summary><c>name</c>: how <c>docker plugin set NAME.source=…</c> addresses it.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>description</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>source</c>; null is written as JSON null (dockerd then refuses to enable, or to set it).</summary>
    public string? Source { get; set; }

    /// <summary><c>destination</c> inside the plugin.</summary>
    public string Destination { get; set; } = "";

    /// <summary><c>type</c>.</summary>
    public string Type { get; set; } = PluginConfigDefaults.MountType;

    /// <summary><c>options</c>, e.g. rbind, ro.</summary>
    public IReadOnlyList<string> Options { get; set; } = [];

    /// <summary><c>settable</c>: empty, or <see cref="PluginConfigKeys.Source"/>.</summary>
    public IReadOnlyList<string> Settable { get; set; } = [];
}
