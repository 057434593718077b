using static Mooring.Tests.Infrastructure.ManagementFixture;

namespace Mooring.Tests;

/// <summary><c>GET /metrics</c>: Prometheus text from the plugin's own <c>Meter("Mooring")</c>.</summary>
public sealed class ManagementMetricsTests
{
    [Fact]
    public async Task A_scrape_after_N_requests_shows_N_for_the_endpoint_and_a_histogram_of_N()
    {
        await using var f = await StartManagedAsync();
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "b");
        await f.Client.MountAsync("missing", "c"); // 500
        const int n = 7;
        for (var i = 0; i < n; i++)
        {
            await f.Client.GetAsync(i % 2 == 0 ? "v" : "missing");
        }

        await f.Client.SendAsync("/nope", "{}"u8.ToArray());
        await f.Client.SendAsync("/../etc/passwd", "{}"u8.ToArray());
        await f.GetAsync("/health"); // management requests are not counted

        var response = await f.GetAsync("/metrics");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Headers["Content-Type"]);
        var lines = response.BodyText.Split('\n');
        Assert.Contains("# TYPE mooring_requests_total counter", lines);
        Assert.Contains($"mooring_requests_total{{endpoint=\"VolumeDriver.Get\"}} {n}", lines);
        Assert.Contains("mooring_request_errors_total{endpoint=\"VolumeDriver.Get\"} 0", lines); // "not found" is a 200 with Err
        Assert.Contains("mooring_requests_total{endpoint=\"VolumeDriver.Mount\"} 3", lines);
        Assert.Contains("mooring_request_errors_total{endpoint=\"VolumeDriver.Mount\"} 1", lines);
        Assert.Contains("mooring_requests_total{endpoint=\"other\"} 2", lines);
        Assert.Contains("mooring_request_errors_total{endpoint=\"other\"} 2", lines);
        Assert.DoesNotContain(lines, l => l.Contains("passwd", StringComparison.Ordinal) || l.Contains("health", StringComparison.Ordinal));

        Assert.Contains("# TYPE mooring_request_duration_seconds histogram", lines);
        Assert.Contains($"mooring_request_duration_seconds_count{{endpoint=\"VolumeDriver.Get\"}} {n}", lines);
        Assert.Contains($"mooring_request_duration_seconds_bucket{{endpoint=\"VolumeDriver.Get\",le=\"+Inf\"}} {n}", lines);
        var buckets = lines.Where(l => l.StartsWith("mooring_request_duration_seconds_bucket{endpoint=\"VolumeDriver.Get\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(17, buckets.Length);
        Assert.Contains("le=\"0.0001\"", buckets[0]);
        var counts = buckets.Select(b => long.Parse(b[(b.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(counts.Order(), counts); // cumulative
        Assert.Single(lines, l => l.StartsWith("mooring_request_duration_seconds_sum{endpoint=\"VolumeDriver.Get\"} ", StringComparison.Ordinal));

        Assert.Contains("mooring_volumes 1", lines);
        Assert.Contains("mooring_mounts 2", lines);
    }

    [Fact]
    public async Task Two_plugins_in_one_process_count_separately_and_a_low_level_driver_reports_no_volumes()
    {
        await using var a = await StartLowLevelAsync();
        await using var b = await StartLowLevelAsync();
        await a.Client.CapabilitiesAsync();
        await a.Client.CapabilitiesAsync();
        await b.Client.CapabilitiesAsync();

        Assert.Contains("mooring_requests_total{endpoint=\"VolumeDriver.Capabilities\"} 2", (await a.GetAsync("/metrics")).BodyText.Split('\n'));
        var other = (await b.GetAsync("/metrics")).BodyText.Split('\n');
        Assert.Contains("mooring_requests_total{endpoint=\"VolumeDriver.Capabilities\"} 1", other);
        Assert.Contains("mooring_volumes 0", other);
        Assert.Contains("mooring_mounts 0", other);
    }
}
