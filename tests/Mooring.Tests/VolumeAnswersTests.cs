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

    [Fact]
    public void The_creation_time_is_written_in_UTC_as_Rfc3339_formats_it()
    {
        Assert.Equal("""{"Volume":{"Name":"v","CreatedAt":"2026-12-02T04:12:00.25Z"}}""", Text(VolumeAnswers.Volume(new VolumeInfo("v") { CreatedAt = Created })));
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
