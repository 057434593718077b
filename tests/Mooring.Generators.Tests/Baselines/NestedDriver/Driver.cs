using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Mooring;

namespace Acme.Plugins.Inner;

public static partial class Plugins
{
    public sealed class Options
    {
        public string? Class { get; set; }
    }

    [VolumePlugin(Socket = "nested.sock")]
    public sealed partial record TmpDriver(ILogger Logger) : IVolumeDriver<Options>
    {
        public ValueTask CreateAsync(string name, Options options, CancellationToken cancellationToken) => default;

        public ValueTask RemoveAsync(string name, CancellationToken cancellationToken) => default;

        public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken) => new("/data/" + name);

        public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken) => default;

        public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) => new((VolumeInfo?)null);

        public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken) => new(Array.Empty<VolumeInfo>());
    }
}
