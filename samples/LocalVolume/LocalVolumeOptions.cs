using System.Globalization;
using Mooring;

namespace Mooring.Samples.LocalVolume;

/// <summary>The <c>-o</c> options of <c>docker volume create -d localvolume</c>.</summary>
public sealed class LocalVolumeOptions
{
    /// <summary>The owner of the volume's root directory.</summary>
    [VolumeOption("uid", Description = "numeric user ID that owns the volume's root directory")]
    public int? Uid { get; set; }

    /// <summary>The group of the volume's root directory.</summary>
    [VolumeOption("gid", Description = "numeric group ID of the volume's root directory")]
    public int? Gid { get; set; }

    /// <summary>The permissions of the volume's root directory, in octal.</summary>
    [VolumeOption("mode", Description = "octal permissions of the volume's root directory, e.g. 0750")]
    public string? Mode { get; set; }

    /// <summary>The options as recorded in the volume's state (only those that were given).</summary>
    internal Dictionary<string, string> ToDictionary()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Uid is { } uid)
        {
            options["uid"] = uid.ToString(CultureInfo.InvariantCulture);
        }

        if (Gid is { } gid)
        {
            options["gid"] = gid.ToString(CultureInfo.InvariantCulture);
        }

        if (Mode is { } mode)
        {
            options["mode"] = mode;
        }

        return options;
    }
}
