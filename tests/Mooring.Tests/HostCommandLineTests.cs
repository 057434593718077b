using Microsoft.Extensions.Logging;
using Mooring.Hosting;

namespace Mooring.Tests;

public sealed class HostCommandLineTests
{
    [Fact]
    public void Options_in_both_forms_are_parsed_and_the_rest_goes_to_the_driver()
    {
        var parsed = HostCommandLine.Parse(["--socket", "/s.sock", "--data-root=/d", "--log-level", "DEBUG", "--custom", "x", "--", "--socket", "y"], out var error);
        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal("/s.sock", parsed.SocketPath);
        Assert.Equal("/d", parsed.DataRoot);
        Assert.Equal(LogLevel.Debug, parsed.LogLevel);
        Assert.Equal(["--custom", "x", "--socket", "y"], parsed.DriverArguments);
        Assert.False(parsed.PrintConfig);
    }

    [Theory]
    [InlineData("--print-config")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Flags_are_recognised(string flag)
    {
        var parsed = HostCommandLine.Parse([flag], out _)!;
        Assert.True(parsed.PrintConfig || parsed.Help);
    }

    [Theory]
    [InlineData(new[] { "--socket" }, "option '--socket' needs a value")]
    [InlineData(new[] { "--data-root=" }, "option '--data-root' needs a value")]
    [InlineData(new[] { "--log-level", "loud" }, "option '--log-level' must be one of trace, debug, information, warning, error, critical or none, got 'loud'")]
    public void Bad_command_lines_are_explained(string[] args, string expected)
    {
        Assert.Null(HostCommandLine.Parse(args, out var error));
        Assert.Equal(expected, error);
    }
}
