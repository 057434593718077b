using System.Text;
using System.Text.Json;
using Mooring.Hosting;
using Mooring.TestFixtures;
using Mooring.Testing;

namespace Mooring.Tests.Infrastructure;

/// <summary>A plugin started in process with its management socket, and clients for both sockets.</summary>
public sealed class ManagementFixture : IAsyncDisposable
{
    private readonly TempDirectory _temp;

    private ManagementFixture(TempDirectory temp, RunningPlugin plugin)
    {
        _temp = temp;
        Plugin = plugin;
        Client = new DockerPluginClient(plugin.SocketPath);
        Management = new DockerPluginClient(plugin.ManagementSocketPath!);
    }

    public RunningPlugin Plugin { get; }

    public DockerPluginClient Client { get; }

    /// <summary>Raw HTTP/1.1 over the management socket.</summary>
    public DockerPluginClient Management { get; }

    public ManagedTestDriver? Managed { get; private set; }

    public static async Task<ManagementFixture> StartLowLevelAsync(Action<PluginHostOptions>? configure = null)
    {
        var temp = new TempDirectory();
        var options = Options(temp, configure);
        return new ManagementFixture(temp, await VolumePluginHost.StartAsync<TestDriver>(options));
    }

    public static async Task<ManagementFixture> StartManagedAsync(Action<ManagedTestDriver>? configure = null, Action<PluginHostOptions>? configureHost = null)
    {
        var temp = new TempDirectory();
        ManagedTestDriver? driver = null;
        var plugin = await VolumePluginHost.StartAsync(Options(temp, configureHost), _ =>
        {
            driver = new ManagedTestDriver();
            configure?.Invoke(driver);
            return driver;
        });
        return new ManagementFixture(temp, plugin) { Managed = driver };
    }

    public Task<PluginHttpResponse> GetAsync(string path) => Management.SendAsync("GET", path, ReadOnlyMemory<byte>.Empty);

    public Task<PluginHttpResponse> PostAsync(string path, string body = "") => Management.SendAsync("POST", path, Encoding.UTF8.GetBytes(body));

    public Task<PluginHttpResponse> PutAsync(string path, string body) => Management.SendAsync("PUT", path, Encoding.UTF8.GetBytes(body));

    public static JsonElement Json(PluginHttpResponse response) => JsonDocument.Parse(response.Body).RootElement;

    public static string Err(PluginHttpResponse response) => Json(response).GetProperty("Err").GetString()!;

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Management.DisposeAsync();
        await Plugin.DisposeAsync();
        _temp.Dispose();
    }

    private static PluginHostOptions Options(TempDirectory temp, Action<PluginHostOptions>? configure)
    {
        var options = new PluginHostOptions
        {
            SocketPath = temp.Combine("p.sock"),
            DataRoot = temp.Combine("data"),
            LoggerFactory = new CapturingLoggerFactory(),
            Environment = _ => null,
        };
        configure?.Invoke(options);
        return options;
    }
}
