using System.Text;
using Mooring.Hosting.Metadata;
using Mooring.Protocol;

namespace Mooring.Tests;

/// <summary>
/// The Get, List, Mount and Path answers written straight from the driver's values (sdk/Mooring/Protocol/VolumeAnswers.cs):
/// the exact bytes dockerd reads, and a buffer reused per thread that never leaks one answer into the next.
/// </summary>
public sealed class VolumeAnswersTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 2, 6, 12, 0, 250, TimeSpan.FromHours(2));

    [Theory]
    [InlineData(0L, "2026-12-02T04:12:00Z")]
    [InlineData(1L, "2026-12-02T04:12:00.0000001Z")]
    [InlineData(1_000_000L, "2026-12-02T04:12:00.1Z")]
    [InlineData(1_234_500L, "2026-12-02T04:12:00.12345Z")]
    [InlineData(9_999_999L, "2026-12-02T04:12:00.9999999Z")]
    [InlineData(10_000_000L, "2026-12-02T04:12:01Z")]
    public void Creation_times_are_RFC_3339_in_UTC_with_only_the_fractional_digits_needed(long ticks, string expected)
    {
        var value = new DateTimeOffset(2026, 12, 2, 6, 12, 0, TimeSpan.FromHours(2)).AddTicks(ticks);

        Assert.Equal(expected, VolumeAnswers.FormatRfc3339(value));
        Assert.Equal($$$"""{"Volume":{"Name":"v","CreatedAt":"{{{expected}}}"}}""", Text(VolumeAnswers.Volume(new VolumeInfo("v") { CreatedAt = value })));
    }

    [Fact]
    public void Creation_times_are_written_as_the_custom_RFC_3339_format_wrote_them()
    {
        // The format the wire had before the fast path, as the oracle, over times with every number of digits.
        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var value = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60)));
            var ticks = random.Next(8) switch { 0 => 0, 1 => 1_000_000, 2 => 5_000, _ => random.Next(10_000_000) };
            value = value.AddTicks(ticks - (value.Ticks % TimeSpan.TicksPerSecond));

            Assert.Equal(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture), VolumeAnswers.FormatRfc3339(value));
        }
    }

    [Fact]
    public void A_volume_is_written_with_its_fields_in_wire_order_and_without_empty_ones()
    {
        var full = new VolumeInfo("v") { Mountpoint = "/data/v", CreatedAt = Created, Status = new Dictionary<string, string> { ["size"] = "1" } };
        Assert.Equal(
            """{"Volume":{"Name":"v","Mountpoint":"/data/v","CreatedAt":"2026-12-02T04:12:00.25Z","Status":{"size":"1"}}}""",
            Text(VolumeAnswers.Volume(full)));
        Assert.Equal("""{"Volume":{"Name":"v"}}""", Text(VolumeAnswers.Volume(new VolumeInfo("v") { Mountpoint = "" })));
    }

    [Fact]
    public void Text_is_escaped_as_the_error_answers_escape_it()
    {
        // The relaxed encoder of JsonBody: quotes escaped, apostrophes and non-ASCII letters readable.
        var volume = new VolumeInfo("v") { Status = new Dictionary<string, string> { ["note"] = "l'été \"ok\"" } };
        Assert.Equal("""{"Volume":{"Name":"v","Status":{"note":"l'été \"ok\""}}}""", Text(VolumeAnswers.Volume(volume)));
        Assert.Equal("""{"Mountpoint":"/data/é"}""", Text(VolumeAnswers.Mountpoint("/data/é")));
    }

    [Fact]
    public void A_large_list_then_a_small_answer_on_the_same_thread_carry_nothing_over()
    {
        var many = Enumerable.Range(0, 3000).Select(i => new VolumeInfo($"volume-{i:D5}") { CreatedAt = Created }).ToArray();
        var list = Text(VolumeAnswers.Volumes(many));
        Assert.True(list.Length > 64 * 1024, "the list must outgrow the buffer the writer keeps");
        Assert.StartsWith("""{"Volumes":[{"Name":"volume-00000","CreatedAt":""", list, StringComparison.Ordinal);
        Assert.EndsWith("""{"Name":"volume-02999","CreatedAt":"2026-12-02T04:12:00.25Z"}]}""", list, StringComparison.Ordinal);

        Assert.Equal("""{"Volumes":[]}""", Text(VolumeAnswers.Volumes([])));
        Assert.Equal("""{"Mountpoint":"/data/a"}""", Text(VolumeAnswers.Mountpoint("/data/a")));
        Assert.Equal("""{"Mountpoint":"/data/b"}""", Text(VolumeAnswers.Mountpoint("/data/b")));
    }

    [Fact]
    public async Task Answers_written_at_once_on_many_threads_each_hold_only_their_own_volume()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var texts = new List<string>();
            for (var n = 0; n < 200; n++)
            {
                texts.Add(Text(VolumeAnswers.Volume(new VolumeInfo($"v{i}-{n}") { Mountpoint = $"/data/v{i}-{n}" })));
            }

            return (i, texts);
        })));

        foreach (var (i, texts) in answers)
        {
            for (var n = 0; n < texts.Count; n++)
            {
                Assert.Equal($$$"""{"Volume":{"Name":"v{{{i}}}-{{{n}}}","Mountpoint":"/data/v{{{i}}}-{{{n}}}"}}""", texts[n]);
            }
        }
    }

    private static string Text(PluginResponse response)
    {
        Assert.Equal(200, response.StatusCode);
        return Encoding.UTF8.GetString(response.Body.Span);
    }
}
