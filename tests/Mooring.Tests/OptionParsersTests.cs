using Mooring.Options;

namespace Mooring.Tests;

public sealed class OptionParsersTests
{
    private const string Subject = "volume 'x': option 'o'";

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("4096", 4096L)]
    [InlineData("4096b", 4096L)]
    [InlineData("1k", 1024L)]
    [InlineData("1K", 1024L)]
    [InlineData("512m", 512L << 20)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("512mb", 512L << 20)]
    [InlineData("10g", 10L << 30)]
    [InlineData("10 GB", 10L << 30)]
    [InlineData("1t", 1L << 40)]
    [InlineData("2p", 2L << 50)]
    [InlineData("1.5k", 1536L)]
    [InlineData("0.1k", 102L)]
    [InlineData(" 7m ", 7L << 20)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("8191p", 8191L << 50)]
    public void ByteSize_parses_docker_style_sizes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var size));
        Assert.Equal(bytes, size.Bytes);
        Assert.Equal(bytes, OptionParsers.ParseByteSize(text, Subject).Bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("-1g")]
    [InlineData("1x")]
    [InlineData("1ib")]
    [InlineData("g")]
    [InlineData(".5g")]
    [InlineData("1.g")]
    [InlineData("1.2.3k")]
    [InlineData("1gg")]
    [InlineData("9223372036854775808")]
    [InlineData("8192p")]
    [InlineData("99999999999999999999999999999999999999")]
    public void ByteSize_rejects_garbage_negatives_and_overflow(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData("abc", "volume 'x': option 'o' must be a byte size such as 4096, 512m or 10g (k, m, g, t, p are powers of 1024), got 'abc'")]
    [InlineData("-5m", "volume 'x': option 'o' must not be negative; use a byte size such as 512m or 10g, got '-5m'")]
    [InlineData("9000p", "volume 'x': option 'o' is too large (the maximum is 8191p, just under 8 EiB), got '9000p'")]
    public void ParseByteSize_messages_name_the_subject_the_value_and_an_example(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseByteSize(text, Subject)).Message);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "1")]
    [InlineData(1536L, "1536")]
    [InlineData(1024L, "1k")]
    [InlineData(512L << 20, "512m")]
    [InlineData(10L << 30, "10g")]
    [InlineData(3L << 40, "3t")]
    [InlineData(1L << 50, "1p")]
    [InlineData(1025L << 20, "1025m")]
    public void ByteSize_prints_the_shortest_exact_unit(long bytes, string text)
    {
        Assert.Equal(text, new ByteSize(bytes).ToString());
        Assert.True(ByteSize.TryParse(text, out var back));
        Assert.Equal(bytes, back.Bytes);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-12", -12)]
    [InlineData("+7", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void ParseInt32_accepts_whole_numbers(string text, int value) => Assert.Equal(value, OptionParsers.ParseInt32(text, Subject));

    [Theory]
    [InlineData("1.5", "volume 'x': option 'o' must be a whole number such as 1000, got '1.5'")]
    [InlineData("", "volume 'x': option 'o' must be a whole number such as 1000, got ''")]
    [InlineData("1 000", "volume 'x': option 'o' must be a whole number such as 1000, got '1 000'")]
    [InlineData("2147483648", "volume 'x': option 'o' must be between -2147483648 and 2147483647, got '2147483648'")]
    public void ParseInt32_rejects_with_a_clear_message(string text, string message) =>
        Assert.Equal(message, Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseInt32(text, Subject)).Message);

    [Fact]
    public void ParseInt64_accepts_the_full_range_and_rejects_overflow()
    {
        Assert.Equal(long.MinValue, OptionParsers.ParseInt64("-9223372036854775808", Subject));
        Assert.Contains("must be between", Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseInt64("9223372036854775808", Subject)).Message);
        Assert.Contains("whole number", Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseInt64("ten", Subject)).Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    public void ParseBoolean_accepts_the_usual_words(string text, bool value) => Assert.Equal(value, OptionParsers.ParseBoolean(text, Subject));

    [Fact]
    public void ParseBoolean_rejects_anything_else()
    {
        Assert.Equal(
            "volume 'x': option 'o' must be true or false (or 1/0, yes/no, on/off), got 'maybe'",
            Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseBoolean("maybe", Subject)).Message);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("100ms", 100 * TimeSpan.TicksPerMillisecond)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("2h", 2 * TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("1h30m", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("250us", 250 * TimeSpan.TicksPerMicrosecond)]
    [InlineData("00:01:00", TimeSpan.TicksPerMinute)]
    [InlineData("1.00:00:00", TimeSpan.TicksPerDay)]
    public void ParseTimeSpan_accepts_go_durations_days_and_dotnet_timespans(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), OptionParsers.ParseTimeSpan(text, Subject));

    [Theory]
    [InlineData("30", "must be a duration such as")]
    [InlineData("abc", "must be a duration such as")]
    [InlineData("5x", "must be a duration such as")]
    [InlineData("", "must be a duration such as")]
    [InlineData("-5s", "must not be negative")]
    [InlineData("-00:01:00", "must not be negative")]
    [InlineData("99999999999999d", "is too large")]
    public void ParseTimeSpan_rejects_with_a_clear_message(string text, string expected)
    {
        var message = Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseTimeSpan(text, Subject)).Message;
        Assert.StartsWith(Subject + " ", message);
        Assert.Contains(expected, message);
        Assert.EndsWith($"got '{text}'", message);
    }

    [Theory]
    [InlineData("0750", 0x1E8)]
    [InlineData("750", 0x1E8)]
    [InlineData("1777", 0x3FF)]
    [InlineData("0", 0)]
    [InlineData(" 07777 ", 0xFFF)]
    public void UnixFileMode_parses_octal_permissions(string text, int mode)
        => Assert.Equal((UnixFileMode)mode, OptionParsers.ParseUnixFileMode(text, Subject));

    [Theory]
    [InlineData("", "must be octal permissions such as 0750 or 1777")]
    [InlineData("0759", "must be octal permissions such as 0750 or 1777")]
    [InlineData("u+rwx", "must be octal permissions such as 0750 or 1777")]
    [InlineData("-755", "must be octal permissions such as 0750 or 1777")]
    [InlineData("17777", "must be at most 07777")]
    [InlineData("077777", "must be octal permissions such as 0750 or 1777")]
    public void UnixFileMode_refuses_anything_but_octal_permissions(string text, string requirement)
    {
        var error = Assert.Throws<VolumeOptionException>(() => OptionParsers.ParseUnixFileMode(text, Subject));
        Assert.Equal($"{Subject} {requirement}, got '{text}'", error.Message);
    }
}
