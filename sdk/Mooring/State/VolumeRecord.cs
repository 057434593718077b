using System.Collections.ObjectModel;

namespace Mooring.State;

/// <summary>What the SDK remembers about one volume between restarts (see <see cref="VolumeStateStore"/>).</summary>
public sealed record VolumeRecord
{
    private static readonly IReadOnlyDictionary<string, string> Empty = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Creates a record with no options and no properties.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="createdAt">When the volume was created.</param>
    public VolumeRecord(string name, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        CreatedAt = createdAt;
    }

    /// <summary>The volume name.</summary>
    public string Name { get; }

    /// <summary>When the volume was created (reported to dockerd as <c>CreatedAt</c>).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The raw <c>-o key=value</c> options the volume was created with.</summary>
    public IReadOnlyDictionary<string, string> Options
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Options));
    } = Empty;

    /// <summary>Facts the driver keeps about the volume (a backend ID, a quota, a generation…); the SDK does not read them.</summary>
    public IReadOnlyDictionary<string, string> Properties
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Properties));
    } = Empty;

    /// <summary>
    /// Where the volume is in its life cycle; <see cref="VolumeRecordPhase.Ready"/> unless a Create or Remove is under
    /// way (or was interrupted by a crash).
    /// </summary>
    public VolumeRecordPhase Phase { get; init; }
}
