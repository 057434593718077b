namespace Mooring;

/// <summary>The answer to <c>/VolumeDriver.Capabilities</c>.</summary>
/// <param name="Scope">The driver's scope.</param>
public sealed record VolumeCapabilities(VolumeScope Scope)
{
    /// <summary>Local scope, the default.</summary>
    public static VolumeCapabilities Local { get; } = new(VolumeScope.Local);

    /// <summary>Global scope.</summary>
    public static VolumeCapabilities Global { get; } = new(VolumeScope.Global);
}
