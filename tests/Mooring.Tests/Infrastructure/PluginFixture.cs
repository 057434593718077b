using Mooring.Hosting;
using Mooring.TestFixtures;
using Mooring.Testing;

namespace Mooring.Tests.Infrastructure;

/// <summary>An in-process plugin over a real unix socket in a temp directory, plus a dockerd-like client.</summary>
public sealed class PluginFixture : IAsyncDisposable
{
    private readonly TempDirectory _temp;

    private PluginFixture(TempDirectory temp, RunningPlugin plugin, TestDriver driver, CapturingLoggerFactory logs, DockerPluginClient client)
    {
        _temp = temp;
        Plugin = plugin;
        Driver = driver;
        Logs = logs;
        Client = client;
    }

    public RunningPlugin Plugin { get; }

    public TestDriver Driver { get; }

    public CapturingLoggerFactory Logs { get; }

    public DockerPluginClient Client { get; }

    public string DataRoot => Plugin.Context.DataRoot;

    public string SocketPath => Plugin.SocketPath;

    public static async Task<PluginFixture> StartAsync(Action<TestDriver>? configure = null, Action<PluginHostOptions>? configureHost = null)
    {
        var temp = new TempDirectory();
        var logs = new CapturingLoggerFactory();
        var options = new PluginHostOptions
        {
            SocketPath = temp.Combine("p.sock"),
            DataRoot = temp.Combine("data"),
            LoggerFactory = logs,
        };
        configureHost?.Invoke(options);
        TestDriver? driver = null;
        var plugin = await VolumePluginHost.StartAsync(options, context =>
        {
            driver = new TestDriver(context);
            configure?.Invoke(driver);
            return driver;
        });
        return new PluginFixture(temp, plugin, driver!, logs, new DockerPluginClient(plugin.SocketPath));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Plugin.DisposeAsync();
        _temp.Dispose();
    }
}
