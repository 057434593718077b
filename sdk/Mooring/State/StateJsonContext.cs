using System.Text.Json.Serialization;

namespace Mooring.State;

/// <summary>The on-disk form of a <see cref="VolumeRecord"/>.</summary>
internal sealed class VolumeRecordFile
{
    /// <summary>The format version; readers refuse versions newer than they know instead of guessing.</summary>
    public int Version { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Properties { get; set; }
}

/// <summary>The on-disk form of one volume's mount counts.</summary>
internal sealed class MountLedgerFile
{
    /// <summary>The format version; readers refuse versions newer than they know instead of guessing.</summary>
    public int Version { get; set; }

    public string? Name { get; set; }

    /// <summary>Mount ID → how many times it is mounted.</summary>
    public Dictionary<string, int>? Mounts { get; set; }
}

/// <summary>Source-generated serialization for the state files (no reflection, so trimming and AOT are safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(VolumeRecordFile))]
[JsonSerializable(typeof(MountLedgerFile))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
