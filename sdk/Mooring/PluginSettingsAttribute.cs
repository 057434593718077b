namespace Mooring;

/// <summary>
/// Marks a class whose properties are read from environment variables at start-up (see
/// <see cref="PluginEnvAttribute"/>). Each variable also appears in <c>config.json</c>, so users can change it with
/// <c>docker plugin set NAME=value</c>. The driver receives the bound settings through its constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginSettingsAttribute : Attribute
{
}
