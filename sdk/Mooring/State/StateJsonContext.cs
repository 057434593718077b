using System.Text.Json.Serialization;

namespace Mooring.State;

/// <summary>
/// The part every state file format keeps, read first so that a file from a newer format is recognised as such even
/// when the rest of it no longer fits this version's shape.
/// </summary>
internal sealed class StateFileHeader
{
    public int Version { get; set; }
}

/// <summary>The on-disk form of a <see cref="VolumeRecord"/>.</summary>
internal sealed class VolumeRecordFile : IStateFile
{
    /// <inheritdoc/>
    public int Version { get; set; }

    /// <inheritdoc/>
    public string? Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Properties { get; set; }

    /// <summary>
    /// <c>creating</c> or <c>removing</c>; absent for a ready volume, so files of ready volumes stay byte-identical to
    /// those written before phases existed and older plugins (which skip unknown members) still read them.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; set; }
}

/// <summary>The on-disk form of one volume's mount counts.</summary>
internal sealed class MountLedgerFile : IStateFile
{
    /// <inheritdoc/>
    public int Version { get; set; }

    /// <inheritdoc/>
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
[JsonSerializable(typeof(StateFileHeader))]
[JsonSerializable(typeof(VolumeRecordFile))]
[JsonSerializable(typeof(MountLedgerFile))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
