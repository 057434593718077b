using Mooring.Hosting.Control;

namespace Mooring.Tests;

public sealed class ControlCommandLineTests
{
    [Fact]
    public void Global_options_are_accepted_in_both_forms_before_and_after_the_command()
    {
        var parsed = ControlCommandLine.Parse(["--plugin", "acme", "volumes", "--json", "--timeout=2.5", "--exec-root=/x"], out var error);
        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal("acme", parsed.Plugin);
        Assert.Equal("volumes", parsed.Command);
        Assert.True(parsed.Json);
        Assert.Equal(TimeSpan.FromSeconds(2.5), parsed.Timeout);
        Assert.Equal("/x", parsed.ExecRoot);
    }

    [Fact]
    public void Forget_takes_a_volume_and_an_optional_mount_id()
    {
        var all = ControlCommandLine.Parse(["forget", "data"], out _)!;
        Assert.Equal(("data", null), (all.Volume, all.Value));
        var one = ControlCommandLine.Parse(["forget", "data", "abc123"], out _)!;
        Assert.Equal(("data", "abc123"), (one.Volume, one.Value));
    }

    [Fact]
    public void Op_takes_a_name_a_volume_and_key_value_arguments()
    {
        var parsed = ControlCommandLine.Parse(["op", "snapshot", "--volume", "data", "label=nightly", "note=a=b", "empty="], out var error);
        Assert.Null(error);
        Assert.Equal("snapshot", parsed!.Value);
        Assert.Equal("data", parsed.Volume);
        Assert.Equal(new Dictionary<string, string> { ["label"] = "nightly", ["note"] = "a=b", ["empty"] = "" }, parsed.OperationArguments);
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "status" }, "unknown command 'status'")]
    [InlineData(new[] { "--verbose", "health" }, "unknown option '--verbose'")]
    [InlineData(new[] { "health", "--plugin" }, "option '--plugin' needs a value")]
    [InlineData(new[] { "health", "extra" }, "'health' takes no arguments, got 'extra'")]
    [InlineData(new[] { "forget" }, "usage: forget VOLUME [ID]")]
    [InlineData(new[] { "forget", "a", "b", "c" }, "usage: forget VOLUME [ID]")]
    [InlineData(new[] { "forget", "a/b" }, "invalid volume name 'a/b': it must not contain '/'")]
    [InlineData(new[] { "forget", ".." }, "invalid volume name '..': '.' and '..' are not allowed")]
    [InlineData(new[] { "forget", "v", "" }, "the mount ID must not be empty")]
    [InlineData(new[] { "prepare-downgrade", "now" }, "'prepare-downgrade' takes no arguments, got 'now'")]
    [InlineData(new[] { "log-level", "debug", "x" }, "usage: log-level [LEVEL]")]
    [InlineData(new[] { "op" }, "usage: op NAME [--volume V] [key=value ...]")]
    [InlineData(new[] { "op", "snap", "label" }, "operation arguments are key=value, got 'label'")]
    [InlineData(new[] { "op", "snap", "=x" }, "operation arguments are key=value, got '=x'")]
    [InlineData(new[] { "op", "snap", "a=1", "a=2" }, "the argument 'a' is given twice")]
    [InlineData(new[] { "op", "snap", "--volume", "../etc" }, "invalid volume name '../etc': it must not contain '/'")]
    [InlineData(new[] { "volumes", "--volume", "v" }, "option '--volume' belongs to the 'op' command")]
    [InlineData(new[] { "health", "--timeout", "0" }, "option '--timeout' must be a number of seconds between 0 and 86400, got '0'")]
    [InlineData(new[] { "health", "--timeout", "soon" }, "option '--timeout' must be a number of seconds between 0 and 86400, got 'soon'")]
    [InlineData(new[] { "\u001b[2Jhealth" }, "unknown command '\\x1b[2Jhealth'")]
    public void Bad_command_lines_are_explained(string[] args, string expected)
    {
        Assert.Null(ControlCommandLine.Parse(args, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task A_bad_command_line_exits_2_with_the_error_and_the_usage_on_stderr()
    {
        var run = await ControlRunner.RunAsync(["forget"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: usage: forget VOLUME [ID]", run.Err, StringComparison.Ordinal);
        Assert.Contains("Usage: <plugin> ctl [options] <command>", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var run = await ControlRunner.RunAsync(["volumes", "-h"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("forget VOLUME [ID]", run.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 ok, 1 the plugin answered an error, 2 bad command line, 3 cannot reach the plugin or Docker.", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("unix://relative.sock")]
    public async Task A_docker_host_that_is_not_a_unix_url_is_a_usage_error(string host)
    {
        var run = await ControlRunner.RunAsync(["--docker-host", host, "health"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"option '--docker-host' must be a unix:// URL such as unix:///var/run/docker.sock, got '{host}'", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "/var/run/docker.sock")]
    [InlineData(null, "unix:///run/user/1000/docker.sock", "/run/user/1000/docker.sock")]
    [InlineData(null, "tcp://10.0.0.1:2376", "/var/run/docker.sock")]
    [InlineData("unix:///tmp/d.sock", "unix:///run/other.sock", "/tmp/d.sock")]
    public void The_docker_socket_comes_from_the_option_then_a_unix_DOCKER_HOST_then_the_default(string? option, string? environment, string expected) =>
        Assert.Equal(expected, PluginLocator.DockerSocket(option, environment));
}
