using Mooring;

namespace Mooring.Samples.LocalVolume;

/// <summary>The <c>-o key=value</c> options of <c>docker volume create -d localvolume</c>.</summary>
/// <remarks>
/// <see cref="DirectoryVolumeOptions"/> brings <c>mode</c> (octal permissions), <c>uid</c> and <c>gid</c>. Add a
/// property to add an option: the source generator binds it (keys match case-insensitively, values are parsed for the
/// property's type) and answers a clear error for unknown keys and bad values before the driver is called.
/// </remarks>
public sealed class LocalVolumeOptions : DirectoryVolumeOptions
{
}
