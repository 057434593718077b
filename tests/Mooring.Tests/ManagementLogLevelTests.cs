using Microsoft.Extensions.Logging;
using Mooring.Hosting;
using Mooring.Logging;
using static Mooring.Tests.Infrastructure.ManagementFixture;

namespace Mooring.Tests;

/// <summary>The log level: <c>--log-level</c>, then <c>LOG_LEVEL</c>, then information; changeable at runtime.</summary>
public sealed class ManagementLogLevelTests
{
    [Fact]
    public async Task PUT_log_level_changes_what_loggers_created_before_write()
    {
        var stdout = new StringWriter();
        var factory = new PluginLoggerFactory(LogLevel.Information, new ConsoleLogSink(stdout, stdout));
        var logger = factory.CreateLogger("Acme.Driver");
        await using var f = await StartLowLevelAsync(o => o.LoggerFactory = factory);

        logger.LogDebug("hidden");
        Assert.Equal("""{"level":"information"}""", (await f.GetAsync("/log-level")).BodyText);
        var put = await f.PutAsync("/log-level", """{"level":"debug"}""");
        Assert.Equal(200, put.StatusCode);
        Assert.Equal("""{"level":"debug"}""", put.BodyText);
        logger.LogDebug("shown");
        await f.Client.SendAsync("/VolumeDriver.Get", "garbage"u8.ToArray()); // the protocol logs rejections at debug

        Assert.Equal("""{"level":"debug"}""", (await f.GetAsync("/log-level")).BodyText);
        var text = stdout.ToString();
        Assert.DoesNotContain("hidden", text);
        Assert.Contains("debug: Acme.Driver: shown", text);
        Assert.Contains("rejected request", text);

        Assert.Equal("""{"level":"warning"}""", (await f.PutAsync("/log-level", """{"level":"WARN"}""")).BodyText);
        Assert.False(logger.IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("""{"level":"loud"}""", "field 'level' must be one of trace, debug, information, warning, error, critical or none, got 'loud'")]
    [InlineData("""{}""", "field 'level' is missing: expected one of trace, debug, information, warning, error, critical or none")]
    [InlineData("""{"level":""", "request body is not valid JSON")]
    [InlineData("", "request body is empty")]
    public async Task A_bad_level_is_400_and_changes_nothing(string body, string error)
    {
        await using var f = await StartLowLevelAsync(o => o.LoggerFactory = null);
        var response = await f.PutAsync("/log-level", body);
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith(error, Err(response));
        Assert.Equal("""{"level":"information"}""", (await f.GetAsync("/log-level")).BodyText);
    }

    [Fact]
    public async Task With_a_custom_logger_factory_the_level_is_not_ours_to_change()
    {
        await using var f = await StartLowLevelAsync(); // the fixture passes a CapturingLoggerFactory
        var response = await f.PutAsync("/log-level", """{"level":"debug"}""");
        Assert.Equal(409, response.StatusCode);
        Assert.Equal("the log level is set by the custom logger factory", Err(response));
    }

    [Fact]
    public async Task LOG_LEVEL_from_the_environment_sets_the_default_level()
    {
        await using var f = await StartLowLevelAsync(o =>
        {
            o.LoggerFactory = null;
            o.Environment = name => name == "LOG_LEVEL" ? "debug" : null;
        });
        Assert.Equal("""{"level":"debug"}""", (await f.GetAsync("/log-level")).BodyText);
    }

    [Fact]
    public async Task An_explicit_level_wins_over_LOG_LEVEL()
    {
        await using var f = await StartLowLevelAsync(o =>
        {
            o.LoggerFactory = null;
            o.MinimumLogLevel = LogLevel.Error;
            o.Environment = name => name == "LOG_LEVEL" ? "debug" : null;
        });
        Assert.Equal("""{"level":"error"}""", (await f.GetAsync("/log-level")).BodyText);
    }

    [Fact]
    public void An_invalid_LOG_LEVEL_is_a_warning_and_falls_back_to_information()
    {
        var stderr = new StringWriter();
        using var factory = VolumePluginHost.CreateLoggerFactory(null, name => name == "LOG_LEVEL" ? "loud" : null, new ConsoleLogSink(TextWriter.Null, stderr));
        Assert.Equal(LogLevel.Information, factory.Level.Level);
        Assert.Equal(
            $"warning: Mooring.Hosting: LOG_LEVEL='loud' is not a log level (expected one of trace, debug, information, warning, error, critical or none); logging at information{Environment.NewLine}",
            stderr.ToString());

        using var info = VolumePluginHost.CreateLoggerFactory(null, name => name == "LOG_LEVEL" ? "Info" : null, new ConsoleLogSink(TextWriter.Null, stderr));
        Assert.Equal(LogLevel.Information, info.Level.Level);
        using var flag = VolumePluginHost.CreateLoggerFactory(LogLevel.Trace, name => name == "LOG_LEVEL" ? "loud" : null, new ConsoleLogSink(TextWriter.Null, stderr));
        Assert.Equal(LogLevel.Trace, flag.Level.Level); // --log-level given: LOG_LEVEL is not even read
        Assert.Single(stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_command_line_takes_the_management_socket_options()
    {
        var parsed = HostCommandLine.Parse(["--management-socket", "/run/x.ctl.sock", "--no-management-socket"], out var error);
        Assert.Null(error);
        Assert.Equal("/run/x.ctl.sock", parsed!.ManagementSocketPath);
        Assert.True(parsed.NoManagementSocket);
        Assert.Null(parsed.LogLevel);
        Assert.Equal("option '--management-socket' needs a value", (HostCommandLine.Parse(["--management-socket"], out error), error).error);
    }
}
