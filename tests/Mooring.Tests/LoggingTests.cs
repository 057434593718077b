using Microsoft.Extensions.Logging;
using Mooring.Logging;

namespace Mooring.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void Information_goes_to_stdout_and_warnings_and_errors_to_stderr()
    {
        var (factory, stdout, stderr) = Create(LogLevel.Debug);
        var logger = factory.CreateLogger("Acme.Driver");
        logger.LogDebug("debugging {Value}", 1);
        logger.LogInformation("hello {Name}", "world");
        logger.LogWarning("careful");
        logger.LogError(new InvalidOperationException("boom"), "failed");

        Assert.Equal($"debug: Acme.Driver: debugging 1{Environment.NewLine}info: Acme.Driver: hello world{Environment.NewLine}", stdout.ToString());
        var err = stderr.ToString();
        Assert.StartsWith($"warning: Acme.Driver: careful{Environment.NewLine}error: Acme.Driver: failed{Environment.NewLine}System.InvalidOperationException: boom", err);
    }

    [Fact]
    public void Levels_below_the_minimum_are_dropped()
    {
        var (factory, stdout, stderr) = Create(LogLevel.Warning);
        var logger = factory.CreateLogger("A");
        Assert.False(logger.IsEnabled(LogLevel.Information));
        logger.LogInformation("quiet");
        logger.LogWarning("loud");
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Contains("loud", stderr.ToString());
    }

    [Fact]
    public void Framework_categories_log_warnings_only_unless_debugging()
    {
        var (factory, _, _) = Create(LogLevel.Information);
        Assert.False(factory.CreateLogger("Microsoft.Extensions.Http").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.Extensions.Http").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("Acme").IsEnabled(LogLevel.Information));

        var (debug, _, _) = Create(LogLevel.Debug);
        Assert.True(debug.CreateLogger("Microsoft.Extensions.Http").IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public async Task A_request_that_succeeds_or_fails_expectedly_logs_nothing_at_information()
    {
        var (factory, stdout, stderr) = Create(LogLevel.Information);
        using var temp = new Mooring.TestFixtures.TempDirectory();
        await using (var plugin = await Mooring.Hosting.VolumePluginHost.StartAsync<Infrastructure.TestDriver>(new() { SocketPath = temp.Combine("p.sock"), DataRoot = temp.Combine("d"), LoggerFactory = factory }))
        {
            var lines = stdout.ToString();
            await using var client = new Mooring.Testing.DockerPluginClient(plugin.SocketPath);
            await client.CreateAsync("v");
            await client.GetAsync("v");
            await client.GetAsync("missing");
            await client.CreateAsync("w", new Dictionary<string, string> { ["nope"] = "1" });
            await client.SendAsync("/VolumeDriver.Get", "garbage"u8.ToArray());
            Assert.Equal(lines, stdout.ToString());
            Assert.Equal(string.Empty, stderr.ToString());
        }
    }

    private static (PluginLoggerFactory Factory, StringWriter Out, StringWriter Error) Create(LogLevel level)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (new PluginLoggerFactory(level, new ConsoleLogSink(stdout, stderr)), stdout, stderr);
    }
}
