using System.Collections.Generic;

namespace Mooring.PluginConfiguration;

/// <summary>The <c>args</c> object of config.json: arguments dockerd appends to the entrypoint.</summary>
internal sealed class PluginConfigArgs
{
    /// <summary><c>name</c>: how <c>docker plugin set NAME=…</c> addresses it.</summary>
    public string Name { get; set; } = PluginConfigDefaults.ArgsName;

    /// <summary><c>description</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>settable</c>: empty, or <see cref="PluginConfigKeys.Value"/>.</summary>
    public IReadOnlyList<string> Settable { get; set; } = [];

    /// <summary><c>value</c>: the default arguments.</summary>
    public IReadOnlyList<string> Value { get; set; } = [];
}
