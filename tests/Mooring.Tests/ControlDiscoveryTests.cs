using System.Text;
using Mooring.TestFixtures;

namespace Mooring.Tests;

/// <summary>Finding a plugin's management socket through a fake Docker API (<c>GET /plugins</c>, answered chunked as
/// dockerd does), then talking to a fake management socket where dockerd would have put it.</summary>
public sealed class ControlDiscoveryTests : IAsyncDisposable
{
    private const string AcmeId = "abcd1111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string OtherId = "abcd2222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string OffId = "ef01cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private readonly TempDirectory _directory = new();
    private readonly List<ControlFakeServer> _servers = [];

    private string DockerSocket => _directory.Combine("docker.sock");

    private string ExecRoot => _directory.Path;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Theory]
    [InlineData("acme")]                       // the alias (docker plugin install --alias acme): Name "acme:latest"
    [InlineData("acme:latest")]
    [InlineData("abcd1111")]                   // an ID prefix
    [InlineData(AcmeId)]
    public async Task A_plugin_is_found_by_alias_name_or_id_prefix(string wanted)
    {
        StartDocker(Plugins());
        var acme = StartManagement(AcmeId, "acme.sock", "acme");
        StartManagement(OtherId, "other.sock", "other");

        var run = await RunAsync("--plugin", wanted, "health");

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("acme-driver", run.Out, StringComparison.Ordinal);
        Assert.Single(acme.Requests);
    }

    [Fact]
    public async Task A_full_repository_name_with_its_tag_is_found()
    {
        StartDocker(Plugins());
        StartManagement(OtherId, "other.sock", "other");

        var run = await RunAsync("--plugin", "registry.example:5000/other.volumes:1.0.0", "health");

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("other-driver", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_plugin_the_one_enabled_plugin_on_this_binarys_socket_is_used()
    {
        StartDocker(Plugins());
        StartManagement(OtherId, "other.sock", "other");

        var run = await ControlRunner.RunAsync(["--docker-host", "unix://" + DockerSocket, "--exec-root", ExecRoot, "health"], ownSocketName: "other.sock");

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
        Assert.Contains("other-driver", run.Out, StringComparison.Ordinal);
        var request = Assert.Single(_servers[0].Requests);
        Assert.Equal(("GET", "/plugins"), (request.Method, request.Path));
    }

    [Fact]
    public async Task DOCKER_HOST_is_used_when_it_is_a_unix_url()
    {
        StartDocker(Plugins());
        StartManagement(AcmeId, "acme.sock", "acme");

        var run = await ControlRunner.RunAsync(
            ["--exec-root", ExecRoot, "--plugin", "acme", "health"],
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + DockerSocket });

        Assert.Equal((0, ""), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task An_ambiguous_id_prefix_is_a_usage_error_that_lists_the_candidates()
    {
        StartDocker(Plugins());
        var run = await RunAsync("--plugin", "abcd", "health");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "error: the ID prefix 'abcd' is ambiguous: it matches 'acme:latest' (ID abcd1111aaaa), 'registry.example:5000/other.volumes:1.0.0' (ID abcd2222bbbb); give more characters" + Environment.NewLine,
            run.Err);
    }

    [Theory]
    [InlineData("nope", "")]
    [InlineData("abc", "; an ID prefix needs at least 4 characters")]
    public async Task An_unknown_plugin_exits_3_and_lists_what_is_installed(string wanted, string hint)
    {
        StartDocker(Plugins());
        var run = await RunAsync("--plugin", wanted, "health");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(
            $"error: no plugin is named '{wanted}' or has an ID starting with it (installed: 'acme:latest' (ID abcd1111aaaa), 'registry.example:5000/other.volumes:1.0.0' (ID abcd2222bbbb), 'off:latest' (ID ef01cccccccc)){hint}" + Environment.NewLine,
            run.Err);
    }

    [Fact]
    public async Task A_disabled_plugin_exits_3_and_says_how_to_enable_it()
    {
        StartDocker(Plugins());
        var run = await RunAsync("--plugin", "off", "health");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: the plugin 'off:latest' (ID ef01cccccccc) is disabled, so its management socket is closed: docker plugin enable off:latest" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task Two_enabled_plugins_on_this_binarys_socket_need_plugin()
    {
        StartDocker($"[{Plugin(AcmeId, "a:latest", true, "acme.sock")},{Plugin(OtherId, "b:latest", true, "acme.sock")}]");
        var run = await RunAsync("health");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("2 enabled plugins use the socket 'acme.sock' ('a:latest' (ID abcd1111aaaa), 'b:latest' (ID abcd2222bbbb)); choose one with --plugin", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_plugin_on_this_binarys_socket_exits_3()
    {
        StartDocker("[]");
        var run = await RunAsync("health");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("no enabled plugin uses the socket 'acme.sock' (no plugins are installed); name one with --plugin", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../etc", "acme.sock", "with an unusable ID '../../../etc'")]
    [InlineData("ABCD", "acme.sock", "with an unusable ID 'ABCD'")]
    [InlineData(AcmeId, "../../x.sock", "declares no usable socket name in its config (Interface.Socket '../../x.sock')")]
    [InlineData(AcmeId, "", "declares no usable socket name in its config (Interface.Socket '')")]
    public async Task An_id_or_socket_name_that_is_not_a_plain_path_segment_is_refused(string id, string socket, string expected)
    {
        StartDocker($"[{Plugin(id, "acme:latest", true, socket)}]");
        var run = await RunAsync("--plugin", "acme", "health");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_not_running_exits_3_naming_its_socket()
    {
        var run = await RunAsync("--plugin", "acme", "health");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"error: cannot reach Docker at {DockerSocket}: ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Docker_error_answer_exits_3_with_its_message()
    {
        _servers.Add(ControlFakeServer.Json(DockerSocket, 500, """{"message":"daemon is shutting down"}"""));
        var run = await RunAsync("--plugin", "acme", "health");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: Docker at {DockerSocket} answered GET /plugins with 500: daemon is shutting down" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task A_found_plugin_whose_management_socket_is_missing_names_the_path_it_tried()
    {
        StartDocker(Plugins());
        var run = await RunAsync("--plugin", "acme", "health");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"error: cannot reach the plugin at {ExecRoot}/plugins/{AcmeId}/acme.ctl.sock: ", run.Err, StringComparison.Ordinal);
    }

    private static string Plugins() =>
        $"[{Plugin(AcmeId, "acme:latest", true, "acme.sock")},{Plugin(OtherId, "registry.example:5000/other.volumes:1.0.0", true, "other.sock")},{Plugin(OffId, "off:latest", false, "off.sock")}]";

    private static string Plugin(string id, string name, bool enabled, string socket) =>
        $$"""{"Id":"{{id}}","Name":"{{name}}","Enabled":{{(enabled ? "true" : "false")}},"Settings":{"Env":["LOG_LEVEL=info"]},"Config":{"Entrypoint":["/plugin"],"Interface":{"Socket":"{{socket}}","Types":["docker.volumedriver/1.0"]""" + "}}}";

    private Task<ControlRun> RunAsync(params string[] args) =>
        ControlRunner.RunAsync(["--docker-host", "unix://" + DockerSocket, "--exec-root", ExecRoot, .. args]);

    private void StartDocker(string pluginsJson) =>
        _servers.Add(new ControlFakeServer(DockerSocket, async (_, stream, ct) =>
        {
            // dockerd streams its JSON: chunked, in pieces.
            var body = Encoding.UTF8.GetBytes(pluginsJson);
            await ControlFakeServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", ct);
            foreach (var piece in body.Chunk(100))
            {
                await ControlFakeServer.WriteAsync(stream, $"{piece.Length:x}\r\n{Encoding.UTF8.GetString(piece)}\r\n", ct);
            }

            await ControlFakeServer.WriteAsync(stream, "0\r\n\r\n", ct);
        }));

    private ControlFakeServer StartManagement(string id, string pluginSocket, string driver)
    {
        var name = pluginSocket[..^".sock".Length] + ".ctl.sock";
        var server = ControlFakeServer.Json(
            Path.Combine(ExecRoot, "plugins", id, name),
            200,
            $$"""{"status":"ready","version":"1.0.0","uptimeSeconds":3,"driver":"{{driver}}-driver","model":"managed"}""");
        _servers.Add(server);
        return server;
    }
}
