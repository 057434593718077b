namespace Mooring.Testing;

/// <summary>How <see cref="VolumeDriverConformance"/> runs its checks against a driver.</summary>
public sealed class ConformanceOptions
{
    /// <summary>The <c>-o</c> options sent with every Create, for a driver with required options. Default
    /// <see langword="null"/>: <c>"Opts":null</c>, as <c>docker run -v name:/path</c> sends when it creates a volume
    /// implicitly.</summary>
    public IReadOnlyDictionary<string, string>? CreateOptions { get; init; }

    /// <summary>How many Capabilities calls <see cref="VolumeDriverConformance.CapabilitiesCheapAndStable"/> makes.
    /// Default 20.</summary>
    public int CapabilitiesCalls { get; init; } = 20;

    /// <summary>The most the median Capabilities call may take (every call but the first, which also warms up the
    /// freshly started host, is timed). Default 1 second, which a driver that answers from memory (well under a
    /// millisecond) never approaches even on a loaded machine, where single calls may stall.</summary>
    public TimeSpan CapabilitiesTimeLimit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Adjusts the host options of the plugin under test (log level, environment, limits).</summary>
    public Action<Hosting.PluginHostOptions>? ConfigureHost { get; init; }
}
