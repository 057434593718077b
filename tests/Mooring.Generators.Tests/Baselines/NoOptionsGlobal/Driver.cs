using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mooring;

[VolumePlugin]
public partial class ScratchVolumeDriver : IVolumeDriver<NoOptions>
{
    public ValueTask CreateAsync(string name, NoOptions options, CancellationToken cancellationToken) => default;

    public ValueTask RemoveAsync(string name, CancellationToken cancellationToken) => default;

    public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken) => new("/data/" + name);

    public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken) => default;

    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) => new((VolumeInfo?)null);

    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken) => new(Array.Empty<VolumeInfo>());
}
