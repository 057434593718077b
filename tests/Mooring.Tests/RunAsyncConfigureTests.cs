using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mooring.Hosting;
using Mooring.TestFixtures;
using Mooring.Testing;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary><c>VolumePluginHost.RunAsync&lt;T&gt;(args, configure)</c>: the host configured in code, any
/// <see cref="ILoggerFactory"/> included, with the command line winning over the code.</summary>
public sealed class RunAsyncConfigureTests
{
    [Fact]
    public async Task A_standard_LoggerFactory_with_its_own_provider_gets_the_plugin_log_and_stays_the_callers()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var capture = new CapturingLoggerFactory();

        // What the issue asked for: a factory that accepts AddProvider (Mooring's default one refuses it).
        var factory = new TrackingLoggerFactory();
        factory.AddProvider(new CapturingProvider(capture));
        using var stop = new CancellationTokenSource();
        var run = VolumePluginHost.RunAsync<TestDriver>(["--data-root", temp.Combine("data")], options =>
        {
            options.SocketPath = path;
            options.LoggerFactory = factory;
        }, stop.Token);

        await WaitForSocketAsync(path, run);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains(capture.Entries, e => e.Category == "Mooring.Hosting" && e.Message == $"Listening on {path} (data root {temp.Combine("data")})");
        Assert.False(factory.Disposed, "the host disposed a factory it did not create");
        factory.Dispose();
    }

    [Fact]
    public async Task The_command_line_wins_over_the_code_and_the_code_fills_what_the_command_line_leaves_out()
    {
        using var temp = new TempDirectory();
        var fromCode = temp.Combine("code.sock");
        var fromCommandLine = temp.Combine("cli.sock");
        var capture = new CapturingLoggerFactory();
        using var stop = new CancellationTokenSource();
        var run = VolumePluginHost.RunAsync<TestDriver>(["--socket", fromCommandLine], options =>
        {
            options.SocketPath = fromCode;
            options.DataRoot = temp.Combine("code-data");
            options.LoggerFactory = capture;
        }, stop.Token);

        await WaitForSocketAsync(fromCommandLine, run);
        await using (var client = new DockerPluginClient(fromCommandLine))
        {
            Assert.True((await client.CreateAsync("v")).IsSuccess);
        }

        Assert.False(File.Exists(fromCode));
        Assert.True(Directory.Exists(temp.Combine("code-data/v")), "the data root set in code was not used");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_log_level_on_the_command_line_that_a_custom_factory_cannot_take_is_reported()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var capture = new CapturingLoggerFactory();
        using var stop = new CancellationTokenSource();
        var run = VolumePluginHost.RunAsync<TestDriver>(["--socket", path, "--data-root", temp.Combine("data"), "--log-level", "debug"],
            options => options.LoggerFactory = capture, stop.Token);

        await WaitForSocketAsync(path, run);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(capture.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("--log-level debug is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_factory_refuses_providers_and_names_the_overload()
    {
        using var factory = VolumePluginHost.CreateLoggerFactory(LogLevel.Information, _ => null);
        var refused = Assert.Throws<NotSupportedException>(() => factory.AddProvider(new CapturingProvider(new CapturingLoggerFactory())));
        Assert.Contains("options => options.LoggerFactory = ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_configure_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => VolumePluginHost.RunAsync<TestDriver>([], configure: null!));
    }

    private static async Task WaitForSocketAsync(string path, Task<int> run)
    {
        var deadline = Stopwatch.StartNew();
        while (!UnixSockets.CanConnect(path))
        {
            Assert.False(run.IsCompleted, "RunAsync ended early with " + (run.IsCompletedSuccessfully ? run.Result.ToString(System.Globalization.CultureInfo.InvariantCulture) : run.Exception?.ToString()));
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "socket never appeared");
            await Task.Delay(20);
        }
    }

    // Microsoft.Extensions.Logging's LoggerFactory, recording whether it was disposed.
    private sealed class TrackingLoggerFactory : ILoggerFactory
    {
        private readonly LoggerFactory _inner = new();

        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName) => _inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

        public void Dispose()
        {
            Disposed = true;
            _inner.Dispose();
        }
    }

    private sealed class CapturingProvider(CapturingLoggerFactory capture) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => capture.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
