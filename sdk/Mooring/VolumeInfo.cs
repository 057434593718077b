namespace Mooring;

/// <summary>A volume as reported to dockerd by Get and List.</summary>
/// <param name="Name">The volume name.</param>
public sealed record VolumeInfo(string Name)
{
    /// <summary>Where the volume is mounted, if it is; an absolute path under the data root.</summary>
    public string? Mountpoint { get; init; }

    /// <summary>When the volume was created; sent as RFC 3339, omitted when <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Free-form facts shown under <c>Status</c> by <c>docker volume inspect</c>.</summary>
    public IReadOnlyDictionary<string, string>? Status { get; init; }
}
