using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mooring.Hosting.Management;

/// <summary>
/// The plugin's instruments, on a <see cref="Meter"/> named <c>Mooring</c> (so an OpenTelemetry exporter added by the
/// author sees them too): requests, errors (non-2xx answers) and durations per plugin-protocol endpoint, and the
/// managed volumes and mounts. Each running plugin has its own meter instance, so plugins in one process (tests) do
/// not mix their counts.
/// </summary>
/// <remarks>Recording costs a dictionary lookup on a fixed set of paths and no allocation: the tag of every endpoint
/// is created once, and durations come from <see cref="Stopwatch.GetTimestamp"/>.</remarks>
internal sealed class PluginMetrics : IDisposable
{
    public const string MeterName = "Mooring";
    public const string RequestsName = "mooring.requests";
    public const string ErrorsName = "mooring.request.errors";
    public const string DurationName = "mooring.request.duration";
    public const string VolumesName = "mooring.volumes";
    public const string MountsName = "mooring.mounts";
    public const string EndpointTag = "endpoint";

    /// <summary>The endpoint of a path that is not part of the protocol (so hostile paths cannot grow the series).</summary>
    public const string OtherEndpoint = "other";

    /// <summary>The histogram's upper bounds, in seconds (Prometheus adds <c>+Inf</c>).</summary>
    public static readonly double[] BucketBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Every endpoint label, <see cref="OtherEndpoint"/> included.</summary>
    public static readonly string[] Endpoints =
    [
        "Plugin.Activate", "VolumeDriver.Capabilities", "VolumeDriver.Create", "VolumeDriver.Get", "VolumeDriver.List",
        "VolumeDriver.Mount", "VolumeDriver.Path", "VolumeDriver.Remove", "VolumeDriver.Unmount", OtherEndpoint,
    ];

    // Never changed after this: safe to read from every request. Not a FrozenDictionary: for nine keys it is no faster
    // to read, and it would put System.Collections.Immutable's frozen collections (about 60 KB) into every plugin binary.
    private static readonly Dictionary<string, KeyValuePair<string, object?>> TagByPath = TagsByPath();

    private static readonly KeyValuePair<string, object?> OtherTag = new(EndpointTag, OtherEndpoint);

    private static Dictionary<string, KeyValuePair<string, object?>> TagsByPath()
    {
        var tags = new Dictionary<string, KeyValuePair<string, object?>>(Endpoints.Length, StringComparer.Ordinal);
        foreach (var endpoint in Endpoints)
        {
            if (endpoint != OtherEndpoint)
            {
                tags["/" + endpoint] = new KeyValuePair<string, object?>(EndpointTag, endpoint);
            }
        }

        return tags;
    }

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the meter and its instruments.</summary>
    /// <param name="state">The managed driver's state once the plugin has started; <see langword="null"/> before, and
    /// always for a low-level driver (the gauges then read 0).</param>
    public PluginMetrics(Func<IManagedState?> state)
    {
        Meter = new Meter(MeterName);
        _requests = Meter.CreateCounter<long>(RequestsName, "{request}", "Plugin protocol requests, per endpoint.");
        _errors = Meter.CreateCounter<long>(ErrorsName, "{request}", "Plugin protocol requests answered with a non-2xx status, per endpoint.");
        _duration = Meter.CreateHistogram(
            DurationName,
            "s",
            "How long the plugin took to answer a plugin protocol request, per endpoint.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BucketBounds });
        Meter.CreateObservableGauge(VolumesName, () => (long)(state()?.CountTotals().Volumes ?? 0), "{volume}", "Volumes of a managed driver.");
        Meter.CreateObservableGauge(MountsName, () => (long)(state()?.CountTotals().Mounts ?? 0), "{mount}", "Mounts counted in the mount ledger of a managed driver.");
    }

    public Meter Meter { get; }

    /// <summary>Records one answered request.</summary>
    /// <param name="path">The request path; anything but a protocol endpoint counts as <see cref="OtherEndpoint"/>.</param>
    /// <param name="statusCode">The answer's status.</param>
    /// <param name="startTimestamp">The request's <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void Record(string path, int statusCode, long startTimestamp)
    {
        var tag = TagByPath.TryGetValue(path, out var known) ? known : OtherTag;
        _requests.Add(1, tag);
        if (statusCode is < 200 or > 299)
        {
            _errors.Add(1, tag);
        }

        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tag);
    }

    public void Dispose() => Meter.Dispose();
}
