using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.Tests;

/// <summary>
/// Creation times written digit by digit (sdk/Mooring/Protocol/Rfc3339.cs), against the formatters they replaced as
/// oracles: the wire's custom RFC 3339 format in UTC, and Utf8JsonWriter's own text of a DateTimeOffset, which every
/// state file written before holds.
/// </summary>
public sealed class Rfc3339Tests
{
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

        Assert.Equal(expected, Rfc3339.FormatUtc(value));
    }

    [Theory]
    [InlineData("2026-12-02T06:12:00+02:00")]
    [InlineData("2026-12-02T06:12:00.5-09:30")]
    [InlineData("0001-01-01T00:00:00+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999+14:00")]
    [InlineData("2026-12-02T06:12:00.0000001-14:00")]
    public void A_time_keeps_its_offset_in_a_state_file(string expected)
    {
        var value = DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);

        Assert.Equal(expected, Format(value));
        Assert.Equal(value, DateTimeOffset.Parse(Format(value), CultureInfo.InvariantCulture));
        Assert.Equal(value.Offset, DateTimeOffset.Parse(Format(value), CultureInfo.InvariantCulture).Offset);
    }

    [Fact]
    public void Times_are_written_as_the_formatters_before_wrote_them()
    {
        // Over times with every number of fractional digits and offsets to the quarter hour and the odd minute.
        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var value = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60)));
            var ticks = random.Next(8) switch { 0 => 0, 1 => 1_000_000, 2 => 5_000, _ => random.Next(10_000_000) };
            value = value.AddTicks(ticks - (value.Ticks % TimeSpan.TicksPerSecond));

            Assert.Equal(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture), Rfc3339.FormatUtc(value));
            Assert.Equal(JsonText(value), Format(value));
        }
    }

    private static string Format(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[Rfc3339.MaxBytes];
        return Encoding.ASCII.GetString(text[..Rfc3339.Format(value, text)]);
    }

    // What Utf8JsonWriter.WriteStringValue(DateTimeOffset) writes, without its quotes.
    private static string JsonText(DateTimeOffset value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.ASCII.GetString(buffer.WrittenSpan)[1..^1];
    }
}
