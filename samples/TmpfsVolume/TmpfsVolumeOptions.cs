using Mooring;

namespace Mooring.Samples.TmpfsVolume;

/// <summary>The <c>-o</c> options of <c>docker volume create -d tmpfsvolume</c>.</summary>
public sealed class TmpfsVolumeOptions
{
    /// <summary>The hard size limit of the tmpfs (the kernel's default is half of the RAM).</summary>
    [VolumeOption("size", Description = "size limit of the tmpfs, e.g. 64m or 1g (default: half of the RAM)")]
    public ByteSize? Size { get; set; }

    /// <summary>The permissions of the tmpfs root, in octal (default 0755).</summary>
    [VolumeOption("mode", Description = "octal permissions of the tmpfs root, e.g. 1777 (default 0755)")]
    public UnixFileMode? Mode { get; set; }
}
