namespace Mooring;

/// <summary>
/// Names and documents a property of a driver's options class. Properties without it are bound too, under their
/// name in lower case. Supported types: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="bool"/>, enums, <see cref="TimeSpan"/>, <see cref="ByteSize"/>, and their nullable forms.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class VolumeOptionAttribute : Attribute
{
    /// <summary>Creates the option.</summary>
    /// <param name="name">The key users pass with <c>-o key=value</c>.</param>
    public VolumeOptionAttribute(string name) => Name = name;

    /// <summary>The key users pass with <c>-o key=value</c>.</summary>
    public string Name { get; }

    /// <summary>A description, used in documentation and error messages.</summary>
    public string? Description { get; set; }

    /// <summary>Whether Create fails when the option is missing.</summary>
    public bool Required { get; set; }
}
