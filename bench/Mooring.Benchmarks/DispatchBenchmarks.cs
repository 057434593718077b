using System.Runtime.Versioning;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;
using Mooring.Samples.InMemoryVolume;

namespace Mooring.Benchmarks;

/// <summary>
/// One request per endpoint through the generated dispatcher of samples/InMemoryVolume, from the raw body to the
/// serialised answer: what the SDK costs per request beyond its HTTP server, and what it allocates (issue 11: nothing
/// beyond the request and response objects). The driver answers from memory, so the driver's own cost is close to zero.
/// </summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class DispatchBenchmarks
{
    private static readonly byte[] Name = Encoding.UTF8.GetBytes("{\"Name\":\"shared\"}\n");
    private static readonly byte[] Create = Encoding.UTF8.GetBytes("{\"Name\":\"shared\",\"Opts\":{}}\n");
    private static readonly byte[] CreateOther = Encoding.UTF8.GetBytes("{\"Name\":\"cycle\",\"Opts\":{}}\n");
    private static readonly byte[] Cycle = Encoding.UTF8.GetBytes("{\"Name\":\"cycle\"}\n");
    private static readonly byte[] MountBody = Encoding.UTF8.GetBytes("{\"Name\":\"shared\",\"ID\":\"0123456789abcdef\"}\n");
    private static readonly byte[] Empty = Encoding.UTF8.GetBytes("{}\n");

    private PluginDispatcher _dispatcher = null!;
    private string _root = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _root = Directory.CreateTempSubdirectory("mooring-dispatch-").FullName;
        var context = new PluginContext(Path.Combine(_root, "data"), Path.Combine(_root, "p.sock"), NullLoggerFactory.Instance);
        _dispatcher = CreateDispatcher<InMemoryVolumeDriver>(context);
        await _dispatcher.StartAsync(CancellationToken.None);
        await _dispatcher.DispatchAsync("/VolumeDriver.Create", Create, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public ValueTask<PluginResponse> Activate() => _dispatcher.DispatchAsync("/Plugin.Activate", Empty, CancellationToken.None);

    [Benchmark]
    public ValueTask<PluginResponse> Capabilities() => _dispatcher.DispatchAsync("/VolumeDriver.Capabilities", Empty, CancellationToken.None);

    [Benchmark]
    public ValueTask<PluginResponse> Get() => _dispatcher.DispatchAsync("/VolumeDriver.Get", Name, CancellationToken.None);

    [Benchmark]
    public ValueTask<PluginResponse> Path_() => _dispatcher.DispatchAsync("/VolumeDriver.Path", Name, CancellationToken.None);

    [Benchmark]
    public ValueTask<PluginResponse> List() => _dispatcher.DispatchAsync("/VolumeDriver.List", Empty, CancellationToken.None);

    [Benchmark(Description = "Create (existing)")]
    public ValueTask<PluginResponse> CreateExisting() => _dispatcher.DispatchAsync("/VolumeDriver.Create", Create, CancellationToken.None);

    /// <summary>Mount then Unmount of one ID: the pair a container start and stop sends (the first Mount made the
    /// directory; later ones find it).</summary>
    [Benchmark(Description = "Mount + Unmount")]
    public async ValueTask<PluginResponse> MountUnmount()
    {
        await _dispatcher.DispatchAsync("/VolumeDriver.Mount", MountBody, CancellationToken.None);
        return await _dispatcher.DispatchAsync("/VolumeDriver.Unmount", MountBody, CancellationToken.None);
    }

    /// <summary>Create then Remove of a volume that was never mounted (no directory to delete).</summary>
    [Benchmark(Description = "Create + Remove")]
    public async ValueTask<PluginResponse> CreateRemove()
    {
        await _dispatcher.DispatchAsync("/VolumeDriver.Create", CreateOther, CancellationToken.None);
        return await _dispatcher.DispatchAsync("/VolumeDriver.Remove", Cycle, CancellationToken.None);
    }

    private static PluginDispatcher CreateDispatcher<TDriver>(PluginContext context)
        where TDriver : class, IVolumePlugin<TDriver> =>
        TDriver.CreateDispatcher(TDriver.CreateDriver(context), context);
}
