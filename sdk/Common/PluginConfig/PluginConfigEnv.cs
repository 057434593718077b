using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>An <c>env[]</c> entry of config.json; Mooring.Build merges entries by <see cref="Name"/>.</summary>
internal sealed class PluginConfigEnv
{
    /// <summary><c>name</c>: the variable.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>description</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>settable</c>: empty, or <see cref="PluginConfigKeys.Value"/>.</summary>
    public IReadOnlyList<string> Settable { get; set; } = [];

    /// <summary><c>value</c>; null is written as JSON null (dockerd then does not pass the variable).</summary>
    public string? Value { get; set; }
}
