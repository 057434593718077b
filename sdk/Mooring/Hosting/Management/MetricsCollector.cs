using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Mooring.Hosting.Management;

/// <summary>
/// Aggregates the measurements of one <see cref="PluginMetrics"/> in memory and renders them in the Prometheus text
/// format 0.0.4 for <c>GET /metrics</c>. A <see cref="MeterListener"/> rather than an OpenTelemetry package: no
/// dependency, nothing at start-up, and a few interlocked adds per request.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private static readonly object RequestsKind = new();
    private static readonly object ErrorsKind = new();
    private static readonly object DurationKind = new();
    private static readonly object VolumesKind = new();
    private static readonly object MountsKind = new();

    private readonly MeterListener _listener;
    private readonly Dictionary<string, EndpointStats> _endpoints; // never changed after the constructor (see PluginMetrics.TagByPath)
    private readonly Lock _scrape = new();
    private long _volumes;
    private long _mounts;

    public MetricsCollector(PluginMetrics metrics)
    {
        _endpoints = new Dictionary<string, EndpointStats>(PluginMetrics.Endpoints.Length, StringComparer.Ordinal);
        foreach (var endpoint in PluginMetrics.Endpoints)
        {
            _endpoints[endpoint] = new EndpointStats();
        }

        var meter = metrics.Meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Only this plugin's meter: another plugin in the same process has its own instance of the same name.
                if (!ReferenceEquals(instrument.Meter, meter))
                {
                    return;
                }

                var kind = instrument.Name switch
                {
                    PluginMetrics.RequestsName => RequestsKind,
                    PluginMetrics.ErrorsName => ErrorsKind,
                    PluginMetrics.DurationName => DurationKind,
                    PluginMetrics.VolumesName => VolumesKind,
                    PluginMetrics.MountsName => MountsKind,
                    _ => null,
                };
                if (kind is not null)
                {
                    listener.EnableMeasurementEvents(instrument, kind);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    /// <summary>Renders every series in the Prometheus text format 0.0.4.</summary>
    public string Render()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments(); // the gauges are read now, under the lock that guards their fields
            var text = new StringBuilder(4096);
            var seen = _endpoints.SortedByKey();
            seen.RemoveAll(static p => Volatile.Read(ref p.Value.Requests) == 0);

            Header(text, "mooring_requests_total", "counter", "Plugin protocol requests, per endpoint.");
            foreach (var (endpoint, stats) in seen)
            {
                Sample(text, "mooring_requests_total", endpoint, null, Volatile.Read(ref stats.Requests));
            }

            Header(text, "mooring_request_errors_total", "counter", "Plugin protocol requests answered with a non-2xx status, per endpoint.");
            foreach (var (endpoint, stats) in seen)
            {
                Sample(text, "mooring_request_errors_total", endpoint, null, Volatile.Read(ref stats.Errors));
            }

            Header(text, "mooring_request_duration_seconds", "histogram", "How long the plugin took to answer, per endpoint.");
            foreach (var (endpoint, stats) in seen)
            {
                var cumulative = 0L;
                for (var i = 0; i < PluginMetrics.BucketBounds.Length; i++)
                {
                    cumulative += Volatile.Read(ref stats.Buckets[i]);
                    Sample(text, "mooring_request_duration_seconds_bucket", endpoint, Format(PluginMetrics.BucketBounds[i]), cumulative);
                }

                cumulative += Volatile.Read(ref stats.Buckets[^1]);
                Sample(text, "mooring_request_duration_seconds_bucket", endpoint, "+Inf", cumulative);
                text.Append("mooring_request_duration_seconds_sum{endpoint=\"").Append(endpoint).Append("\"} ")
                    .Append(Format(Volatile.Read(ref stats.Sum))).Append('\n');
                Sample(text, "mooring_request_duration_seconds_count", endpoint, null, cumulative);
            }

            Header(text, "mooring_volumes", "gauge", "Volumes of a managed driver (0 for a low-level driver).");
            text.Append("mooring_volumes ").Append(_volumes.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Header(text, "mooring_mounts", "gauge", "Mounts counted in the mount ledger of a managed driver (0 for a low-level driver).");
            text.Append("mooring_mounts ").Append(_mounts.ToString(CultureInfo.InvariantCulture)).Append('\n');
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (ReferenceEquals(state, VolumesKind))
        {
            _volumes = value;
        }
        else if (ReferenceEquals(state, MountsKind))
        {
            _mounts = value;
        }
        else if (Find(tags) is { } stats)
        {
            if (ReferenceEquals(state, RequestsKind))
            {
                Interlocked.Add(ref stats.Requests, value);
            }
            else
            {
                Interlocked.Add(ref stats.Errors, value);
            }
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Find(tags) is not { } stats)
        {
            return;
        }

        // Buckets are upper-inclusive (le); the last slot is +Inf.
        var bounds = PluginMetrics.BucketBounds;
        var bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref stats.Buckets[bucket]);
        var sum = Volatile.Read(ref stats.Sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref stats.Sum, sum + value, sum);
            if (seen.Equals(sum))
            {
                break;
            }

            sum = seen;
        }
    }

    private EndpointStats? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == PluginMetrics.EndpointTag && tag.Value is string endpoint)
            {
                return _endpoints.GetValueOrDefault(endpoint);
            }
        }

        return null;
    }

    private static void Header(StringBuilder text, string name, string type, string help)
        => text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    // Endpoint labels come from the fixed list in PluginMetrics, so they never need escaping.
    private static void Sample(StringBuilder text, string name, string endpoint, string? le, long value)
    {
        text.Append(name).Append("{endpoint=\"").Append(endpoint).Append('"');
        if (le is not null)
        {
            text.Append(",le=\"").Append(le).Append('"');
        }

        text.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class EndpointStats
    {
        public long Requests;
        public long Errors;
        public double Sum;
        public readonly long[] Buckets = new long[PluginMetrics.BucketBounds.Length + 1];
    }
}
