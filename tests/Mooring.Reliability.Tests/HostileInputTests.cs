using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// Names and bodies a hostile or broken client could send: each gets a clear 4xx/5xx with a JSON Err, the plugin stays
/// up, and nothing outside the data root — a sibling directory next to it — changes.
/// </summary>
[Collection(BuiltSamplesCollection.Name)]
public sealed class HostileInputTests(BuiltSamples samples)
{
    public static IEnumerable<object[]> Requests()
    {
        var cases = new (string Path, byte[] Body, int Status, string Expected)[]
        {
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"../sibling\"}"), 400, "must not contain '/'"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"..\"}"), 400, "invalid volume name '..'"),
            ("/VolumeDriver.Remove", Utf8("{\"Name\":\"..\"}"), 400, "invalid volume name '..'"),
            ("/VolumeDriver.Mount", Utf8("{\"Name\":\"../../sibling\",\"ID\":\"x\"}"), 400, "must not contain '/'"),
            ("/VolumeDriver.Unmount", Utf8("{\"Name\":\"/etc\",\"ID\":\"x\"}"), 400, "must not contain '/'"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"a\\u0000b\"}"), 400, "NUL"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"" + new string('x', 300) + "\"}"), 400, "255"),
            ("/VolumeDriver.Create", [.. "{\"Name\":\"a"u8, 0xC3, 0x28, .. "\"}"u8], 400, "UTF-8"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":[\"a\"]}"), 400, "field 'Name' must be a string"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"v\",\"Opts\":[1]}"), 400, "field 'Opts'"),
            ("/VolumeDriver.Create", Utf8("{\"Name\":\"v\",\"Opts\":{\"mode\":\"../../x\"}}"), 500, "option 'mode'"),
            ("/VolumeDriver.Mount", Utf8("{\"Name\":\"v\",\"ID\":17}"), 400, "field 'ID' must be a string"),
            ("/VolumeDriver.Get", Utf8("{\"Name\":null}"), 400, "Name"),
            ("/VolumeDriver.List", Utf8("[]"), 400, "JSON object"),
        };
        foreach (var sample in new[] { "LocalVolume", "TmpfsVolume" })
        {
            foreach (var c in cases)
            {
                yield return [sample, c.Path, Convert.ToBase64String(c.Body), c.Status, c.Expected];
            }
        }
    }

    [RootTheory]
    [MemberData(nameof(Requests))]
    public async Task Hostile_requests_get_a_clear_error_and_touch_nothing_outside_the_data_root(
        string sampleName, string path, string body64, int status, string expected)
    {
        var kind = SampleKind.Of(sampleName);
        await using var plugin = await PluginProcess.StartAsync(kind.BinaryIn(samples), kind.SocketName);
        var sibling = CreateSibling(plugin);
        var before = Snapshot(sibling);
        var stateBefore = Snapshot(plugin.DataRoot);

        var response = await plugin.Client.SendAsync(path, Convert.FromBase64String(body64));
        Assert.Equal(status, response.StatusCode);
        using var json = JsonDocument.Parse(response.Body);
        var err = json.RootElement.GetProperty("Err").GetString();
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response.BodyText, StringComparison.Ordinal);

        Assert.False(plugin.HasExited);
        Assert.True((await plugin.Client.CapabilitiesAsync()).IsSuccess);
        Assert.Equal(before, Snapshot(sibling));
        Assert.Equal(stateBefore, Snapshot(plugin.DataRoot));
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
    }

    [RootTheory]
    [InlineData("LocalVolume")]
    [InlineData("TmpfsVolume")]
    public async Task Ten_megabyte_bodies_are_refused_and_the_plugin_keeps_serving(string sampleName)
    {
        var kind = SampleKind.Of(sampleName);
        await using var plugin = await PluginProcess.StartAsync(kind.BinaryIn(samples), kind.SocketName);
        var sibling = CreateSibling(plugin);
        var before = Snapshot(sibling);

        var huge = Encoding.UTF8.GetBytes("{\"Name\":\"" + new string('a', 10 * 1024 * 1024) + "\"}");
        var tooLarge = await plugin.Client.SendAsync("/VolumeDriver.Create", huge).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(413, tooLarge.StatusCode);
        Assert.Contains("larger than", tooLarge.BodyText, StringComparison.Ordinal);

        Assert.True((await plugin.Client.CreateAsync("after")).IsSuccess);
        Assert.Equal(["after"], (await plugin.Client.ListAsync()).Value!.Select(v => v.Name));
        Assert.Equal(before, Snapshot(sibling));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\n");

    private static string CreateSibling(PluginProcess plugin)
    {
        var sibling = Path.Combine(plugin.Root, "sibling");
        Directory.CreateDirectory(Path.Combine(sibling, "data"));
        File.WriteAllText(Path.Combine(sibling, "keep.txt"), "keep");
        File.WriteAllText(Path.Combine(sibling, "data", "keep.txt"), "keep");
        return sibling;
    }

    /// <summary>Every path, its mode and a hash of its content.</summary>
    private static string Snapshot(string root) => string.Join('\n',
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => $"{Path.GetRelativePath(root, p)} {File.GetUnixFileMode(p)} "
                + (File.Exists(p) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "dir")));
}
