using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>A <c>linux.devices[]</c> entry of config.json; Mooring.Build merges entries by <see cref="Path"/>.</summary>
internal sealed class PluginConfigDevice
{
    /// <summary><c>name</c>: how <c>docker plugin set NAME.path=…</c> addresses it.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>description</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>path</c> of the host device node; null is written as JSON null.</summary>
    public string? Path { get; set; }

    /// <summary><c>settable</c>: empty, or <see cref="PluginConfigKeys.Path"/>.</summary>
    public IReadOnlyList<string> Settable { get; set; } = [];
}
