using System.Text;
using Mooring.Hosting.Metadata;
using Mooring.Protocol;

namespace Mooring.Tests;

/// <summary>
/// The VolumeDriver request bodies read field by field (sdk/Mooring/Protocol/VolumeRequestReader.cs), as Go's
/// encoding/json reads them: names in any case, escaped or not; the last duplicate wins; unknown fields and null are
/// nothing; and a field of the wrong shape is named. tests/Mooring.Tests/ErrorPathTests.cs sends the same through a
/// running host.
/// </summary>
public sealed class VolumeRequestReaderTests
{
    [Theory]
    [InlineData("""{"Name":"a"}""", "a")]
    [InlineData("""{"NAME":"a"}""", "a")]
    [InlineData("""{"n\u0061me":"a"}""", "a")]
    [InlineData("""{"Name":"a","Name":"b"}""", "b")]
    [InlineData("""{"Name":"a","name":null}""", null)]
    [InlineData("""{"Names":"a","Nam":"b","Opts":{"x":1},"ID":[1]}""", null)]
    [InlineData("""{"Other":{"Name":"inner"},"Name":"outer"}""", "outer")]
    public void Get_reads_the_name_whatever_its_case_and_ignores_every_other_field(string body, string? name)
    {
        Assert.True(Read(body, RequestFields.Name, out var request, out var error), error);
        Assert.Equal(name, request.Name);
        Assert.Null(request.Id);
        Assert.Null(request.Options);
    }

    [Fact]
    public void Mount_reads_the_ID_in_any_case()
    {
        Assert.True(Read("""{"name":"a","iD":"x1"}""", RequestFields.NameAndId, out var request, out var error), error);
        Assert.Equal(("a", "x1"), (request.Name, request.Id));
    }

    [Fact]
    public void Create_reads_the_options_with_null_values_and_the_last_of_duplicate_keys()
    {
        Assert.True(Read("""{"Name":"a","opts":{"size":"1m","mode":null,"size":"2m","Size":"3m"}}""", RequestFields.NameAndOptions, out var request, out var error), error);
        Assert.Equal(new Dictionary<string, string?> { ["size"] = "2m", ["mode"] = null, ["Size"] = "3m" }, request.Options);
        Assert.Equal("", VolumeProtocol.ToOptions(request.Options)!["mode"]);
    }

    [Theory]
    [InlineData("""{"Name":"a","Opts":null}""")]
    [InlineData("""{"Name":"a"}""")]
    public void Create_without_options_reads_none(string body)
    {
        Assert.True(Read(body, RequestFields.NameAndOptions, out var request, out var error), error);
        Assert.Null(request.Options);
    }

    [Theory]
    [InlineData("""{"Name":"a","Opts":{"k":"\ud800"}}""", "field 'Opts' could not be read")]
    [InlineData("""{"Name":"a","Opts":{"\udc00":"v"}}""", "field 'Opts' could not be read")]
    [InlineData("""{"Name":"a","Opts":{"k":{"nested":"v"}}}""", "field 'Opts' must be an object whose values are strings")]
    [InlineData("""{"Name":"a","Opts":"size=1m"}""", "field 'Opts' must be an object whose values are strings")]
    [InlineData("""{"Name":false}""", "field 'Name' must be a string")]
    public void A_field_of_the_wrong_shape_is_named(string body, string expected)
    {
        Assert.False(Read(body, RequestFields.NameAndOptions, out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_name_no_string_can_hold_is_no_field()
    {
        Assert.True(Read("""{"\ud800":"x","Name":"a"}""", RequestFields.Name, out var request, out var error), error);
        Assert.Equal("a", request.Name);
    }

    [Fact]
    public void List_and_Capabilities_take_any_object_and_read_nothing_from_it()
    {
        Assert.True(Read("""{"Err":5,"Name":"a"}""", RequestFields.None, out var request, out var error), error);
        Assert.Equal(default, request);
        Assert.False(Read("[]", RequestFields.None, out _, out error));
        Assert.Equal("request body must be a JSON object, got an array", error);
    }

    private static bool Read(string body, RequestFields fields, out VolumeRequest request, out string? error) =>
        VolumeRequestReader.TryRead(Encoding.UTF8.GetBytes(body), fields, out request, out error);
}
