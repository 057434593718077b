using System.ComponentModel;

namespace Mooring;

/// <summary>
/// Carries the plugin manifest (the generated part of <c>config.json</c>) in the compiled assembly, where the build
/// task reads it without loading the assembly. Emitted by the source generator; not for hand use.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PluginManifestAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="json">The manifest JSON.</param>
    public PluginManifestAttribute(string json) => Json = json;

    /// <summary>The manifest JSON.</summary>
    public string Json { get; }
}
