using Mooring;

namespace TemplateNamespace;

/// <summary>The <c>-o key=value</c> options of <c>docker volume create -d template-plugin-name</c>.</summary>
/// <remarks>
/// Add a property to add an option: the source generator binds it (keys match case-insensitively, values are parsed
/// for the property's type) and answers a clear error for unknown keys and bad values before the driver is called.
/// </remarks>
public sealed class TemplateClassOptions
{
    /// <summary>The numeric user ID that owns the volume's directory (default: the plugin's own, root).</summary>
    [VolumeOption("uid", Description = "numeric user ID that owns the volume's directory")]
    public int? Uid { get; set; }

    /// <summary>The permissions of the volume's directory, in octal (default 0755).</summary>
    [VolumeOption("mode", Description = "octal permissions of the volume's directory, e.g. 0750")]
    public string? Mode { get; set; }
}
