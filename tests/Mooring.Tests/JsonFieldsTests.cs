using System.Text;
using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.Tests;

/// <summary>
/// The field readers every JSON Mooring reads goes through (sdk/Mooring/Protocol/JsonFields.cs): null is an absent
/// value, a value of the wrong type is named with what it must be, and a string no .NET string can hold is refused by
/// name instead of crashing.
/// </summary>
public sealed class JsonFieldsTests
{
    [Theory]
    [InlineData("\"a\"", "a")]
    [InlineData("\"\\u00e9\"", "é")]
    [InlineData("null", null)]
    public void A_string_or_null_is_read(string json, string? expected)
        => Assert.Equal(expected, Read(json, static (ref reader) => JsonFields.String(ref reader, "f")));

    [Theory]
    [InlineData("7", "field 'f' must be a string")]
    [InlineData("{}", "field 'f' must be a string")]
    [InlineData("\"\\ud800\"", "field 'f' could not be read: ")]
    public void A_string_of_the_wrong_type_is_named(string json, string message)
        => AssertRefused(json, static (ref reader) => JsonFields.String(ref reader, "f"), message);

    [Theory]
    [InlineData("2147483647", 2147483647)]
    [InlineData("-1", -1)]
    [InlineData("null", null)]
    public void A_whole_number_or_null_is_read(string json, int? expected)
        => Assert.Equal(expected, Read(json, static (ref reader) => JsonFields.Int32(ref reader, "f")));

    [Theory]
    [InlineData("2147483648")]
    [InlineData("1.5")]
    [InlineData("\"1\"")]
    public void A_number_that_is_not_a_whole_int_is_refused(string json)
        => AssertRefused(json, static (ref reader) => JsonFields.Int32(ref reader, "f"), "field 'f' must be a whole number");

    [Fact]
    public void Booleans_numbers_and_dates_are_read_and_their_wrong_types_named()
    {
        Assert.True(Read("true", static (ref reader) => JsonFields.Boolean(ref reader, "f")));
        Assert.Equal(1.25, Read("1.25", static (ref reader) => JsonFields.Double(ref reader, "f")));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1)), Read("\"2026-12-03T10:00:00+01:00\"", static (ref reader) => JsonFields.DateTimeOffset(ref reader, "f")));
        AssertRefused("1", static (ref reader) => JsonFields.Boolean(ref reader, "f"), "field 'f' must be true or false");
        AssertRefused("\"1\"", static (ref reader) => JsonFields.Double(ref reader, "f"), "field 'f' must be a number");
        AssertRefused("\"yesterday\"", static (ref reader) => JsonFields.DateTimeOffset(ref reader, "f"), "field 'f' must be a date and time");
    }

    [Fact]
    public void A_string_map_keeps_null_values_and_the_last_of_duplicate_keys()
    {
        var map = Read("""{"a":"1","b":null,"a":"2"}""", static (ref reader) => JsonFields.StringMap(ref reader, "f"))!;

        Assert.Equal(2, map.Count);
        Assert.Equal("2", map["a"]);
        Assert.Null(map["b"]);
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"a":{"b":"c"}}""")]
    [InlineData("""["a"]""")]
    [InlineData("\"a\"")]
    public void A_string_map_of_the_wrong_shape_is_named(string json)
        => AssertRefused(json, static (ref reader) => JsonFields.StringMap(ref reader, "f"), "field 'f' must be an object whose values are strings");

    [Fact]
    public void A_count_map_holds_whole_numbers_only()
    {
        Assert.Equal(3, Read("""{"id":3}""", static (ref reader) => JsonFields.Int32Map(ref reader, "f"))!["id"]);
        AssertRefused("""{"id":"3"}""", static (ref reader) => JsonFields.Int32Map(ref reader, "f"), "field 'f' must be an object whose values are whole numbers");
        AssertRefused("""{"id":null}""", static (ref reader) => JsonFields.Int32Map(ref reader, "f"), "field 'f' must be an object whose values are whole numbers");
    }

    [Fact]
    public void A_list_reads_each_element_and_refuses_what_is_not_an_array()
    {
        Assert.Equal(["a", null, "b"], Read("""["a",null,"b"]""", static (ref reader) => JsonFields.List(ref reader, "f", static (ref element) => JsonFields.String(ref element, "f"))));
        Assert.Null(Read("null", static (ref reader) => JsonFields.List(ref reader, "f", static (ref element) => JsonFields.String(ref element, "f"))));
        AssertRefused("""{"a":1}""", static (ref reader) => JsonFields.List(ref reader, "f", static (ref element) => JsonFields.String(ref element, "f")), "field 'f' must be an array");
    }

    [Fact]
    public void An_object_sees_each_property_on_its_value_and_a_whole_value_is_named_as_it_is()
    {
        var seen = new List<string>();
        Assert.True(Read("""{"a":{"x":[1,2]},"\udc00":{"y":1},"b":2}""", (ref reader) => JsonFields.Object(ref reader, "the answer", seen, static (ref reader, name, seen) =>
        {
            seen.Add(name);
            reader.Skip();
        })));
        Assert.Equal(["a", "b"], seen);
        AssertRefused("[1]", static (ref reader) => JsonFields.Object(ref reader, "the answer", 0, static (ref reader, _, _) => reader.Skip()), "the answer must be an object");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"a\" \"b\"")]
    [InlineData("\"a")]
    public void Read_refuses_text_that_is_not_exactly_one_value(string json)
        => Assert.ThrowsAny<JsonException>(() => Read(json, static (ref reader) => JsonFields.String(ref reader, "f")));

    private static T Read<T>(string json, ElementReader<T> read) => JsonFields.Read(Encoding.UTF8.GetBytes(json), read);

    private static void AssertRefused<T>(string json, ElementReader<T> read, string message)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => Read(json, read));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
