using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.State.Tests;

/// <summary>
/// State files are read and written field by field (sdk/Mooring/State/StateFileJson.cs) since 2026-12-03; before, the
/// System.Text.Json serializer wrote them. The files on users' disks were written that way, and older plugin versions
/// read what this one writes, so the bytes must not change: every file here is written both ways and compared, and
/// what the serializer wrote is read back.
/// </summary>
public sealed partial class StateFileJsonTests
{
    private static readonly DateTimeOffset[] Times =
    [
        DateTimeOffset.UnixEpoch,
        new(2026, 12, 3, 10, 0, 0, 500, TimeSpan.Zero),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(5.5)).AddTicks(1234567),
    ];

    // Keys and values that exercise the encoder: quotes, <, &, ', non-ASCII letters, an emoji, control characters.
    private static readonly Dictionary<string, string?>[] Maps =
    [
        new(StringComparer.Ordinal),
        new(StringComparer.Ordinal) { ["size"] = "1G", ["uid"] = "1000" },
        new(StringComparer.Ordinal) { ["café"] = "<b>\"x\" & 'y'</b>", ["日本"] = "🚢", ["tab"] = "a\tb\nc\u0001", ["empty"] = string.Empty },
    ];

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Times.Length * Maps.Length * 3)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_volume_record_is_written_byte_for_byte_as_the_serializer_wrote_it_and_read_back(int index)
    {
        var (time, options, phase) = (Times[index % Times.Length], Maps[index / Times.Length % Maps.Length], new[] { null, "creating", "removing" }[index / (Times.Length * Maps.Length)]);
        var file = new VolumeRecordFile { Version = 2, Name = "vol-" + index, CreatedAt = time, Options = options, Properties = Maps[(index + 1) % Maps.Length], Phase = phase };
        var serializer = new SerializerVolumeRecord { Version = 2, Name = file.Name, CreatedAt = time, Options = options, Properties = Maps[(index + 1) % Maps.Length], Phase = phase };

        var expected = JsonSerializer.SerializeToUtf8Bytes(serializer, SerializerFormat.Default.SerializerVolumeRecord);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(StateFileJson.Write(file)));

        var read = StateFileJson.Read<VolumeRecordFile>(expected);
        Assert.Equal((2, file.Name, time, phase), (read.Version, read.Name, read.CreatedAt, read.Phase));
        Assert.Equal(time.Offset, read.CreatedAt.Offset);
        Assert.Equal(options, read.Options);
        Assert.Equal(file.Properties, read.Properties);
    }

    [Fact]
    public void A_record_without_maps_writes_null_as_the_serializer_did()
    {
        var file = new VolumeRecordFile { Version = 1, Name = "v", CreatedAt = DateTimeOffset.UnixEpoch };
        var expected = JsonSerializer.SerializeToUtf8Bytes(new SerializerVolumeRecord { Version = 1, Name = "v", CreatedAt = DateTimeOffset.UnixEpoch }, SerializerFormat.Default.SerializerVolumeRecord);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(StateFileJson.Write(file)));
        Assert.Contains("\"options\": null", Encoding.UTF8.GetString(expected), StringComparison.Ordinal);
        var read = StateFileJson.Read<VolumeRecordFile>(expected);
        Assert.Null(read.Options);
        Assert.Null(read.Phase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Mount_counts_are_written_byte_for_byte_as_the_serializer_wrote_them_and_read_back(int ids)
    {
        var mounts = Enumerable.Range(0, ids).ToDictionary(i => new string((char)('a' + i), 64), i => i + 1, StringComparer.Ordinal);
        var file = new MountLedgerFile { Version = 2, Name = "v", Mounts = mounts };
        var expected = JsonSerializer.SerializeToUtf8Bytes(new SerializerMountLedger { Version = 2, Name = "v", Mounts = mounts }, SerializerFormat.Default.SerializerMountLedger);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(StateFileJson.Write(file)));
        Assert.Equal(mounts, StateFileJson.Read<MountLedgerFile>(expected).Mounts);
    }

    [Theory]
    [InlineData("""{"version":2,"name":"v"}""", 2)]
    [InlineData("""{"name":"v","extra":{"version":9},"version":1}""", 1)]
    [InlineData("""{"version":1,"version":3}""", 3)]
    [InlineData("""{"Version":2}""", null)]
    [InlineData("""{"version":"2"}""", null)]
    [InlineData("""{"version":2.5}""", null)]
    [InlineData("""{"version":null}""", null)]
    [InlineData("""[{"version":2}]""", null)]
    [InlineData("null", null)]
    public void The_version_is_read_on_its_own_exactly_by_name_and_the_last_wins(string json, int? version)
        => Assert.Equal(version, StateFileJson.ReadVersion(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("")]
    [InlineData("""{"version":2""")]
    [InlineData("""{"version":2} {}""")]
    [InlineData("""{"version":2,}""")]
    public void Text_that_is_not_one_JSON_value_is_refused(string json)
        => Assert.ThrowsAny<JsonException>(() => StateFileJson.ReadVersion(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"version":2,"name":"v","createdAt":"2024-01-01T00:00:00Z","options":{"size":1}}""", "field 'options' must be an object whose values are strings")]
    [InlineData("""{"version":2,"name":"v","createdAt":null}""", "field 'createdAt' must be a date and time, not null")]
    [InlineData("""{"version":2,"name":7,"createdAt":"2024-01-01T00:00:00Z"}""", "field 'name' must be a string")]
    [InlineData("""{"version":2,"name":"v","createdAt":"2024-01-01T00:00:00Z","phase":["ready"]}""", "field 'phase' must be a string")]
    [InlineData("""{"version":2,"name":"v","createdAt":"2024-01-01T00:00:00Z","properties":{"k":"\ud800"}}""", "field 'properties' could not be read: ")]
    public void A_field_of_the_wrong_type_is_named(string json, string message)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => StateFileJson.Read<VolumeRecordFile>(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_of_a_newer_version_are_skipped_and_names_match_exactly()
    {
        var read = StateFileJson.Read<VolumeRecordFile>("""{"version":2,"name":"v","createdAt":"2024-01-01T00:00:00Z","Phase":"removing","snapshots":[{"a":1}],"options":{"a":"1","a":"2"}}"""u8);

        Assert.Null(read.Phase);
        Assert.Equal("2", read.Options!["a"]);
    }

    // The format as System.Text.Json's serializer wrote it until 2026-12-03 (the models and options of the former
    // sdk/Mooring/State/StateJsonContext.cs), kept here as the reference the files must keep matching.
    internal sealed class SerializerVolumeRecord
    {
        public int Version { get; set; }

        public string? Name { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public Dictionary<string, string?>? Options { get; set; }

        public Dictionary<string, string?>? Properties { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Phase { get; set; }
    }

    internal sealed class SerializerMountLedger
    {
        public int Version { get; set; }

        public string? Name { get; set; }

        public Dictionary<string, int>? Mounts { get; set; }
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
    [JsonSerializable(typeof(SerializerVolumeRecord))]
    [JsonSerializable(typeof(SerializerMountLedger))]
    internal sealed partial class SerializerFormat : JsonSerializerContext
    {
    }
}
