using Mooring.PluginConfiguration;

namespace Mooring;

/// <summary>Default command-line arguments appended to the plugin's entrypoint, optionally settable.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginArgsAttribute : Attribute
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="values">The default arguments.</param>
    public PluginArgsAttribute(params string[] values) => Values = values;

    /// <summary>The default arguments.</summary>
    public string[] Values { get; }

    /// <summary>The name used by <c>docker plugin set NAME=…</c>; default <c>args</c>.</summary>
    public string Name { get; set; } = PluginConfigDefaults.ArgsName;

    /// <summary>A description shown by <c>docker plugin inspect</c>.</summary>
    public string? Description { get; set; }

    /// <summary>Whether the user may replace the arguments with <c>docker plugin set</c>.</summary>
    public bool Settable { get; set; }
}
