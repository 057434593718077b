using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Mooring;
using Mooring.Hosting;

namespace Acme.Volumes.Storage;

public enum Tier
{
    Hot,
    Cold,
    Archive,
}

public sealed class StorageOptions
{
    [VolumeOption("size", Description = "quota", Required = true)]
    public ByteSize Size { get; set; }

    [VolumeOption("max-size")]
    public ByteSize? MaxSize { get; set; }

    public string Label { get; set; } = "none";

    public string? Owner { get; set; }

    public int Uid { get; set; }

    public int? Gid { get; set; }

    public long Inodes { get; set; }

    public long? Blocks { get; set; }

    [VolumeOption("readonly")]
    public bool ReadOnly { get; set; }

    public bool? Sync { get; set; }

    public Tier Tier { get; set; } = Tier.Hot;

    [VolumeOption("fallbackTier")]
    public Tier? FallbackTier { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan? Retention { get; set; }

    // Computed: not an option.
    public long SizeInBytes => Size.Bytes;
}

[PluginSettings]
public sealed class StorageSettings
{
    [PluginEnv("DEBUG", Description = "log debug output", Default = "false")]
    public bool Debug { get; set; }

    [PluginEnv("STORAGE_ENDPOINT", Description = "where the storage lives", Required = true)]
    public string Endpoint { get; set; } = "";

    [PluginEnv("STORAGE_TIER", Settable = false)]
    public Tier Tier { get; set; } = Tier.Cold;

    [PluginEnv("STORAGE_WORKERS")]
    public int Workers { get; set; } = 4;

    [PluginEnv("STORAGE_GRACE")]
    public TimeSpan? Grace { get; set; }

    public string NotAnEnv { get; set; } = "";
}

[VolumePlugin(
    Socket = "storage.sock",
    Description = "Acme \"storage\" volumes \\ ünïcode\ttab",
    Documentation = "https://acme.example/storage",
    PropagatedMount = "/mnt/volumes",
    Network = "host",
    LinuxCapabilities = new[] { "CAP_SYS_ADMIN", "CAP_MKNOD" },
    AllowAllDevices = false,
    IpcHost = true,
    PidHost = false)]
[PluginMount("/etc/acme", Name = "config", Description = "configuration", Source = "/etc/acme", Settable = true)]
[PluginMount("/var/cache/acme", Type = "tmpfs", Options = new[] { "size=64m" })]
[PluginDevice("/dev/fuse", Name = "fuse", Description = "FUSE", Settable = true)]
[PluginArgs("--verbose", "--color=never", Description = "extra flags", Settable = true)]
public sealed partial class StorageDriver : IVolumeDriver<StorageOptions>
{
    public StorageDriver(PluginContext context)
    {
    }

    public StorageDriver(PluginContext context, StorageSettings settings, ILogger<StorageDriver> logger, ILoggerFactory loggerFactory)
    {
        Settings = settings;
    }

    public StorageSettings? Settings { get; }

    public ValueTask CreateAsync(string name, StorageOptions options, CancellationToken cancellationToken) => default;

    public ValueTask RemoveAsync(string name, CancellationToken cancellationToken) => default;

    public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken) => new("/mnt/volumes/" + name);

    public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken) => default;

    public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) => new((VolumeInfo?)null);

    public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken) => new(Array.Empty<VolumeInfo>());
}
