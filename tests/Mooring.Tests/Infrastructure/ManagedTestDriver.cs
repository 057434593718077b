using System.Text;
using Mooring.Hosting;
using Mooring.Hosting.Management;
using Mooring.Hosting.Metadata;

namespace Mooring.Tests.Infrastructure;

/// <summary>
/// A high-level (<see cref="IManagedVolumeDriver{TOptions}"/>) driver with a hand-written dispatcher shaped like the
/// generated one (the assembly already has <see cref="TestDriver"/>, and only one <c>[VolumePlugin]</c> is allowed), plus
/// one driver-defined operation, <c>snapshot</c> (it echoes its body), to show the management socket routes operations to the dispatcher.
/// </summary>
public sealed class ManagedTestDriver : IManagedVolumeDriver<TestOptions>, IVolumePlugin<ManagedTestDriver>
{
    public const string SocketName = "managed.sock";

    public static readonly ManagementOperationInfo Echo = new(
        "snapshot", "Answers its arguments", TakesVolume: true, [new ManagementArgumentInfo("label", "string", Required: false, "any text")]);

    static PluginDescriptor IVolumePlugin<ManagedTestDriver>.Descriptor { get; } = new(
        """{"description":"managed test driver","interface":{"types":["docker.volumedriver/1.0"],"socket":"managed.sock"},"propagatedMount":"/data"}""", SocketName, "/data");

    /// <summary>Whether Mount attaches the data directory (then reconcile checks that it is a mount point).</summary>
    public bool AttachMountsDataDirectory { get; set; }

    public List<string> Calls { get; } = [];

    static ManagedTestDriver IVolumePlugin<ManagedTestDriver>.CreateDriver(PluginContext context) => new();

    static PluginDispatcher IVolumePlugin<ManagedTestDriver>.CreateDispatcher(ManagedTestDriver driver, PluginContext context) => new Dispatcher(driver, context);

    public ValueTask ProvisionAsync(ManagedVolume<TestOptions> volume, CancellationToken cancellationToken) => Record("provision", volume);

    public ValueTask AttachAsync(ManagedVolume<TestOptions> volume, CancellationToken cancellationToken) => Record("attach", volume);

    public ValueTask DetachAsync(ManagedVolume<TestOptions> volume, CancellationToken cancellationToken) => Record("detach", volume);

    private ValueTask Record(string call, ManagedVolume<TestOptions> volume)
    {
        lock (Calls)
        {
            Calls.Add($"{call} {volume.Name}");
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Dispatcher : PluginDispatcher
    {
        private readonly ManagedVolumes<TestOptions> _driver;
        private readonly PluginContext _context;

        public Dispatcher(ManagedTestDriver driver, PluginContext context)
        {
            _driver = new ManagedVolumes<TestOptions>(driver, TestDriver.TestOptionsBinder.Bind, context);
            _context = context;
        }

        public override ValueTask StartAsync(CancellationToken cancellationToken) => _driver.StartAsync(cancellationToken);

        public override IManagedState? ManagedState => _driver;

        public override IReadOnlyList<ManagementOperationInfo> Operations => [Echo];

        public override ValueTask<PluginResponse> InvokeOperationAsync(string name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
            => name == Echo.Name
                ? ValueTask.FromResult(new PluginResponse(200, Encoding.UTF8.GetBytes("{\"result\":{\"body\":" + System.Text.Json.JsonSerializer.Serialize(Encoding.UTF8.GetString(body.Span)) + "}}")))
                : base.InvokeOperationAsync(name, body, cancellationToken);

        public override ValueTask<PluginResponse> DispatchAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => path switch
        {
            "/Plugin.Activate" => VolumeProtocol.ActivateAsync(),
            "/VolumeDriver.Create" => VolumeProtocol.CreateAsync(_driver, _driver.BindOptions, body, _context, cancellationToken),
            "/VolumeDriver.Remove" => VolumeProtocol.RemoveAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.Mount" => VolumeProtocol.MountAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.Unmount" => VolumeProtocol.UnmountAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.Path" => VolumeProtocol.PathAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.Get" => VolumeProtocol.GetAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.List" => VolumeProtocol.ListAsync(_driver, body, _context, cancellationToken),
            "/VolumeDriver.Capabilities" => VolumeProtocol.CapabilitiesAsync(_driver, body, _context, cancellationToken),
            _ => VolumeProtocol.UnknownEndpointAsync(path),
        };
    }
}
