namespace Mooring.Generators;

/// <summary>
/// Names of the incremental pipeline steps, so tests can check every step is cached when an unrelated edit happens.
/// </summary>
public static class TrackingNames
{
    /// <summary>Each [VolumePlugin] class turned into a model (null when it cannot be generated).</summary>
    public const string Drivers = nameof(Drivers);

    /// <summary>The models that can be generated.</summary>
    public const string ValidDrivers = nameof(ValidDrivers);

    /// <summary>Every driver's manifest, collected for the assembly-level attribute.</summary>
    public const string Manifests = nameof(Manifests);
}
