using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Mooring;

namespace Acme.Snapshots;

public enum Compression
{
    None,
    Zstd,
    Gzip,
}

public sealed class SnapshotArguments
{
    [VolumeOption("label", Description = "a name for the snapshot")]
    public string? Label { get; set; }

    [VolumeOption("keep", Description = "how many snapshots to keep", Required = true)]
    public int Keep { get; set; }

    public Compression Compression { get; set; } = Compression.Zstd;

    public TimeSpan? Timeout { get; set; }
}

[VolumePlugin(Socket = "snap.sock", Description = "Snapshots")]
public sealed partial class SnapDriver : IManagedVolumeDriver<NoOptions>
{
    public List<string> Calls { get; } = new();

    public ValueTask ProvisionAsync(ManagedVolume<NoOptions> volume, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    [ManagementOperation("snapshot", Description = "Copies the volume's data to the snapshot store")]
    public ValueTask<IReadOnlyDictionary<string, string>?> SnapshotAsync(string volume, SnapshotArguments arguments, CancellationToken cancellationToken)
    {
        Calls.Add("snapshot " + volume);
        return arguments.Label switch
        {
            "full" => throw new VolumeDriverException($"volume '{volume}': the snapshot store is full"),
            "crash" => throw new InvalidOperationException("a bug in the driver"),
            _ => new(new Dictionary<string, string>
            {
                ["volume"] = volume,
                ["label"] = arguments.Label ?? "(none)",
                ["keep"] = arguments.Keep.ToString(CultureInfo.InvariantCulture),
                ["compression"] = arguments.Compression.ToString(),
            }),
        };
    }

    [ManagementOperation("compact-all")]
    public ValueTask<IReadOnlyDictionary<string, string>?> CompactAsync(NoOptions arguments, CancellationToken cancellationToken)
    {
        Calls.Add("compact-all");
        return new((IReadOnlyDictionary<string, string>?)null);
    }
}
