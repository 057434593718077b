using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mooring;

namespace Acme.Dirs;

public sealed class DirOptions : DirectoryVolumeOptions
{
    [VolumeOption("quota", Description = "soft limit")]
    public ByteSize? Quota { get; set; }
}

[VolumePlugin(Socket = "dirs.sock", Description = "Directories")]
public sealed partial class DirDriver : IManagedVolumeDriver<DirOptions>
{
    public ValueTask ProvisionAsync(ManagedVolume<DirOptions> volume, CancellationToken cancellationToken)
    {
        volume.ApplyDirectoryOptions();
        return ValueTask.CompletedTask;
    }

    public VolumeScope Scope => VolumeScope.Global;
}
