using System.Text.Json;
using Mooring.TestFixtures;

namespace Mooring.Tests;

/// <summary>Each ctl command against canned management-socket answers: the request it sends, the table it prints, and
/// its JSON form.</summary>
public sealed class ControlOutputTests : IDisposable
{
    private const string VolumesJson = """
        {"volumes":[
          {"name":"data","phase":"ready","createdAt":"2025-01-02T03:04:05Z","options":{"uid":"1000","mode":"0750"},"mounts":{"c0ffee":2,"beef":1},"totalMounts":3},
          {"name":"logs","phase":"removing","createdAt":"2025-01-03T00:00:00Z","options":{},"mounts":{},"totalMounts":0}],
         "unavailable":[{"name":"x","path":"/data/.mooring/volumes/x.json","reason":"not valid JSON"}]}
        """;

    private readonly TempDirectory _directory = new();

    private string Socket => _directory.Combine("acme.ctl.sock");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Volumes_prints_a_table_then_the_mount_ids_then_the_state_it_could_not_read()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, VolumesJson);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "volumes"]);

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Equal(
            """
            NAME   PHASE      CREATED                MOUNTS   OPTIONS
            data   ready      2025-01-02T03:04:05Z   3        mode=0750,uid=1000
            logs   removing   2025-01-03T00:00:00Z   0        -

            VOLUME   MOUNT ID   COUNT
            data     beef       1
            data     c0ffee     2

            State the plugin could not read (left untouched):
            NAME   REASON           PATH
            x      not valid JSON   /data/.mooring/volumes/x.json

            """.ReplaceLineEndings(),
            run.Out);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/volumes"), (request.Method, request.Path));
    }

    [Fact]
    public async Task Json_prints_the_answer_itself()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, VolumesJson);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "--json", "volumes"]);

        Assert.Equal(0, run.ExitCode);
        using var printed = JsonDocument.Parse(run.Out);
        using var sent = JsonDocument.Parse(VolumesJson);
        Assert.True(JsonElement.DeepEquals(sent.RootElement, printed.RootElement));
    }

    [Fact]
    public async Task Control_and_bidi_characters_from_the_plugin_never_reach_the_terminal_raw()
    {
        // A volume name may legally hold ESC; the plugin's JSON carries it escaped, and the client must keep it so.
        const string json = """{"volumes":[{"name":"evil\u001b[2J\u202e\\","phase":"ready","createdAt":"t","options":{"k":"v\r\nFAKE 0"},"mounts":{},"totalMounts":0}]}""";
        await using var server = ControlFakeServer.Json(Socket, 200, json);

        var table = await ControlRunner.RunAsync(["--socket", Socket, "volumes"]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(@"evil\x1b[2J\u202e\\", table.Out, StringComparison.Ordinal);
        Assert.Contains(@"k=v\x0d\x0aFAKE 0", table.Out, StringComparison.Ordinal);
        AssertPrintable(table.Out);

        var asJson = await ControlRunner.RunAsync(["--socket", Socket, "--json", "volumes"]);
        Assert.Equal(0, asJson.ExitCode);
        AssertPrintable(asJson.Out);
        using var printed = JsonDocument.Parse(asJson.Out);
        Assert.Equal("evil\u001b[2J\u202e\\", printed.RootElement.GetProperty("volumes")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Json_prints_text_no_string_can_hold_as_its_escapes()
    {
        // A field the client does not read may carry a lone surrogate; reading the answer skips it, printing must not fail.
        const string json = """{"volumes":[],"note":"a\ud800b","\udc00":1}""";
        await using var server = ControlFakeServer.Json(Socket, 200, json);

        var run = await ControlRunner.RunAsync(["--socket", Socket, "--json", "volumes"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("\"note\": \"a\\\\ud800b\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"\\\\udc00\": 1", run.Out, StringComparison.Ordinal);
        AssertPrintable(run.Out);
    }

    [Fact]
    public async Task An_error_answer_exits_1_with_the_plugins_Err_escaped()
    {
        await using var server = ControlFakeServer.Json(Socket, 404, """{"Err":"volume 'a\u001b]0;x\u0007' not found"}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "forget", "gone"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(@"error: volume 'a\x1b]0;x\x07' not found (HTTP 404 from POST /forget)" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task A_success_answer_that_is_not_the_expected_JSON_exits_1_and_says_so()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"volumes":"many"}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "volumes"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: the plugin answered GET /volumes with JSON the client cannot read:", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_prints_one_row()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"status":"ready","version":"1.2.3","uptimeSeconds":3725.2,"driver":"Acme.LocalVolumeDriver","model":"managed"}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "health"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            STATUS   VERSION   UPTIME     DRIVER                   MODEL
            ready    1.2.3     1h 2m 5s   Acme.LocalVolumeDriver   managed

            """.ReplaceLineEndings(),
            run.Out);
    }

    [Fact]
    public async Task Reconcile_posts_and_lists_each_outcome()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"cleared":[{"volume":"v","mounts":2},{"volume":"w","mounts":1}],"confirmed":["a"],"unverified":[],"orphans":["/data/x"]}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "reconcile"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            RESULT       VOLUMES
            cleared      v (2 mounts), w (1 mount)
            confirmed    a
            unverified   -
            orphans      /data/x

            """.ReplaceLineEndings(),
            run.Out);
        Assert.Equal("POST", Assert.Single(server.Requests).Method);
    }

    [Theory]
    [InlineData(new[] { "forget", "data", "c0ffee" }, """{"volume":"data","id":"c0ffee"}""")]
    [InlineData(new[] { "forget", "data" }, """{"volume":"data"}""")]
    public async Task Forget_sends_the_volume_and_the_optional_id(string[] command, string expectedBody)
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"volume":"data","released":2,"totalMounts":1}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, .. command]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("volume 'data': released 2 mounts, 1 remains" + Environment.NewLine, run.Out);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/forget", expectedBody), (request.Method, request.Path, request.Body));
        Assert.Equal("application/json", request.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Log_level_gets_without_a_level_and_puts_with_one()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"level":"debug"}""");
        var get = await ControlRunner.RunAsync(["--socket", Socket, "log-level"]);
        var put = await ControlRunner.RunAsync(["--socket", Socket, "log-level", "debug"]);

        Assert.Equal((0, "debug" + Environment.NewLine), (get.ExitCode, get.Out));
        Assert.Equal((0, "debug" + Environment.NewLine), (put.ExitCode, put.Out));
        var requests = server.Requests.ToArray();
        Assert.Equal(("GET", "/log-level", ""), (requests[0].Method, requests[0].Path, requests[0].Body));
        Assert.Equal(("PUT", "/log-level", """{"level":"debug"}"""), (requests[1].Method, requests[1].Path, requests[1].Body));
    }

    [Fact]
    public async Task Metrics_prints_the_prometheus_text_with_control_characters_escaped()
    {
        const string text = "# TYPE mooring_volumes gauge\nmooring_volumes 2\nmooring_requests_total{endpoint=\"a\\\"b\u001b\"} 5\n";
        await using var server = new ControlFakeServer(Socket, (_, stream, ct) => ControlFakeServer.WriteAsync(stream, ControlFakeServer.Response(200, text, "text/plain; version=0.0.4"), ct));
        var run = await ControlRunner.RunAsync(["--socket", Socket, "metrics"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("# TYPE mooring_volumes gauge\nmooring_volumes 2\nmooring_requests_total{endpoint=\"a\\\"b\\x1b\"} 5\n", run.Out);
    }

    [Fact]
    public async Task Operations_lists_each_operation_and_its_arguments()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """
            {"operations":[{"name":"snapshot","description":"Copy a volume","volume":true,"arguments":[{"name":"label","type":"string","required":false,"description":"…"},{"name":"keep","type":"int","required":true,"description":"…"}]},
                           {"name":"compact","description":"Compact the store","volume":false,"arguments":[]}]}
            """);
        var run = await ControlRunner.RunAsync(["--socket", Socket, "operations"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            NAME       VOLUME   ARGUMENTS                           DESCRIPTION
            snapshot   yes      label=string, keep=int (required)   Copy a volume
            compact    no       -                                   Compact the store

            """.ReplaceLineEndings(),
            run.Out);
    }

    [Fact]
    public async Task Op_posts_the_volume_and_arguments_and_prints_the_result()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"result":{"snapshot":"data@nightly","bytes":"42"}}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "op", "snap/../shot", "--volume", "data", "label=nightly"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            KEY        VALUE
            bytes      42
            snapshot   data@nightly

            """.ReplaceLineEndings(),
            run.Out);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/operations/snap%2F..%2Fshot", """{"volume":"data","arguments":{"label":"nightly"}}"""), (request.Method, request.Path, request.Body));
    }

    [Fact]
    public async Task Op_with_a_null_result_says_it_is_done()
    {
        await using var server = ControlFakeServer.Json(Socket, 200, """{"result":null}""");
        var run = await ControlRunner.RunAsync(["--socket", Socket, "op", "compact"]);

        Assert.Equal((0, "operation 'compact' done" + Environment.NewLine), (run.ExitCode, run.Out));
        Assert.Equal("""{"arguments":{}}""", Assert.Single(server.Requests).Body);
    }

    private static void AssertPrintable(string text)
    {
        var raw = text.FirstOrDefault(static c => c != '\n' && (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format));
        Assert.True(raw == default, $"U+{(int)raw:X4} reached the output raw: {text}");
    }
}
