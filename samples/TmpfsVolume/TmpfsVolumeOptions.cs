using System.Globalization;
using Mooring;

namespace Mooring.Samples.TmpfsVolume;

/// <summary>The <c>-o</c> options of <c>docker volume create -d tmpfsvolume</c>.</summary>
public sealed class TmpfsVolumeOptions
{
    /// <summary>The hard size limit of the tmpfs (the kernel's default is half of the RAM).</summary>
    [VolumeOption("size", Description = "size limit of the tmpfs, e.g. 64m or 1g (default: half of the RAM)")]
    public ByteSize? Size { get; set; }

    /// <summary>The permissions of the tmpfs root, in octal.</summary>
    [VolumeOption("mode", Description = "octal permissions of the tmpfs root, e.g. 1777 (default 0755)")]
    public string? Mode { get; set; }

    /// <summary>Checks the values and returns them as recorded in the volume's state.</summary>
    internal Dictionary<string, string> Validate(string volume)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Size is { } size)
        {
            if (size.Bytes <= 0)
            {
                throw new VolumeOptionException($"volume '{volume}': option 'size' must be more than 0 bytes, got '{size}'");
            }

            options["size"] = size.Bytes.ToString(CultureInfo.InvariantCulture);
        }

        if (Mode is { } mode)
        {
            options["mode"] = Convert.ToString(TmpfsMount.ParseMode(volume, mode), 8);
        }

        return options;
    }
}
