using System.Text.Json;

namespace Mooring.Testing;

/// <summary>A volume as dockerd decodes it from a Get or List answer.</summary>
/// <param name="Name">The name.</param>
public sealed record DockerVolume(string Name)
{
    /// <summary>The Mountpoint field, or <see langword="null"/> when absent or null.</summary>
    public string? Mountpoint { get; init; }

    /// <summary>The CreatedAt field as sent (raw string), or <see langword="null"/> when absent or null.</summary>
    public string? CreatedAtText { get; init; }

    /// <summary>The parsed CreatedAt, or <see langword="null"/> when absent or null.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The Status object, or <see langword="null"/> when absent or null.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Status { get; init; }
}
