using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mooring;
using Mooring.Hosting;

namespace Acme.Nfs
{
    public sealed class NfsOptions
    {
        [VolumeOption("server", Description = "NFS server host", Required = true)]
        public string Server { get; set; } = "";

        [VolumeOption("share", Description = "exported path", Required = true)]
        public string Share { get; set; } = "";

        [VolumeOption("timeout")]
        public TimeSpan? Timeout { get; set; }
    }

    [VolumePlugin(Description = "NFS shares as volumes", LinuxCapabilities = new[] { "CAP_SYS_ADMIN" })]
    internal sealed partial class NfsDriver(PluginContext context) : IVolumeDriver<NfsOptions>
    {
        public PluginContext Context { get; } = context;

        public ValueTask CreateAsync(string name, NfsOptions options, CancellationToken cancellationToken) => default;

        public ValueTask RemoveAsync(string name, CancellationToken cancellationToken) => default;

        public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken) => new("/data/" + name);

        public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken) => default;

        public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) => new((VolumeInfo?)null);

        public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken) => new(Array.Empty<VolumeInfo>());
    }
}
