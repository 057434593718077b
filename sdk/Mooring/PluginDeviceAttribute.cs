namespace Mooring;

/// <summary>A host device node made available to the plugin.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PluginDeviceAttribute : Attribute
{
    /// <summary>Creates the device.</summary>
    /// <param name="path">The device path, e.g. <c>/dev/fuse</c>.</param>
    public PluginDeviceAttribute(string path) => Path = path;

    /// <summary>The device path.</summary>
    public string Path { get; }

    /// <summary>The name used by <c>docker plugin set NAME.path=…</c>.</summary>
    public string? Name { get; set; }

    /// <summary>A description shown by <c>docker plugin inspect</c>.</summary>
    public string? Description { get; set; }

    /// <summary>Whether the user may change <see cref="Path"/> with <c>docker plugin set</c>.</summary>
    public bool Settable { get; set; }
}
