namespace Mooring;

/// <summary>
/// The options every directory volume wants, ready-made: derive a driver's options class from this one (add your own
/// properties beside them) and call <see cref="DirectoryVolumeOptionsExtensions.ApplyDirectoryOptions{TOptions}"/> in
/// <c>ProvisionAsync</c>.
/// </summary>
public class DirectoryVolumeOptions
{
    /// <summary>The permissions of the volume's directory, in octal such as <c>0750</c> (default 0755).</summary>
    [VolumeOption("mode", Description = "octal permissions of the volume's directory, e.g. 0750")]
    public UnixFileMode? Mode { get; set; }

    /// <summary>The numeric user ID that owns the volume's directory (default: the plugin's, root).</summary>
    [VolumeOption("uid", Description = "numeric user ID that owns the volume's directory")]
    public int? Uid { get; set; }

    /// <summary>The numeric group ID that owns the volume's directory (default: the plugin's, root).</summary>
    [VolumeOption("gid", Description = "numeric group ID that owns the volume's directory")]
    public int? Gid { get; set; }
}
