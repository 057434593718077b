namespace Mooring;

/// <summary>Binds a settings property to an environment variable.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class PluginEnvAttribute : Attribute
{
    /// <summary>Creates the binding.</summary>
    /// <param name="name">The variable name: letters, digits and underscores, not starting with a digit.</param>
    public PluginEnvAttribute(string name) => Name = name;

    /// <summary>The variable name.</summary>
    public string Name { get; }

    /// <summary>A description shown by <c>docker plugin inspect</c>.</summary>
    public string? Description { get; set; }

    /// <summary>The default value written to <c>config.json</c>; empty when <see langword="null"/>.</summary>
    public string? Default { get; set; }

    /// <summary>Whether the user may change it with <c>docker plugin set</c>; default <see langword="true"/>.</summary>
    public bool Settable { get; set; } = true;

    /// <summary>Whether start-up fails when the variable is unset or empty.</summary>
    public bool Required { get; set; }
}
