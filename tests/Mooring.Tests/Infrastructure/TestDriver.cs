using System.Collections.Concurrent;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;
using Mooring.Options;

namespace Mooring.Tests.Infrastructure;

/// <summary>The options of <see cref="TestDriver"/>, bound by the hand-written binder below.</summary>
/// <summary>How <see cref="TestDriver"/> counts mounts: correctly, or in one of the ways real drivers get it wrong
/// (the conformance tests show that each is caught).</summary>
public enum MountBookkeeping
{
    /// <summary>A count per (volume, ID): what dockerd needs.</summary>
    CountPerId,

    /// <summary>Misbehaviour: any Unmount unmounts the volume, whatever other IDs still hold it.</summary>
    OneFlagPerVolume,

    /// <summary>Misbehaviour: a set of IDs, so the same ID mounted twice (<c>docker cp</c>) needs one Unmount.</summary>
    SetOfIds,

    /// <summary>Misbehaviour: mounts are not counted at all.</summary>
    None,
}

public sealed class TestOptions
{
    [VolumeOption("size", Description = "quota")]
    public ByteSize? Size { get; set; }

    public int Uid { get; set; }

    [VolumeOption("readonly")]
    public bool ReadOnly { get; set; }
}

/// <summary>
/// A directory-backed driver with an in-memory index, written the way a plugin author would with the SDK: it counts
/// mounts per (name, ID) and refuses to remove a mounted volume. Tests steer it through hooks.
/// </summary>
public sealed partial class TestDriver : IVolumeDriver<TestOptions>, IPluginStartup, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Volume> _volumes = new(StringComparer.Ordinal);
    private int _calls;

    public TestDriver(PluginContext context)
    {
        Context = context;
    }

    public PluginContext Context { get; }

    /// <summary>Runs at the start of every driver call with the operation and volume name; may throw or delay.</summary>
    public Func<string, string?, CancellationToken, Task>? OnCall { get; set; }

    /// <summary>Replaces the Mountpoint that Mount returns (given the real one).</summary>
    public Func<string, string>? MountpointOverride { get; set; }

    /// <summary>Replaces Get's answer.</summary>
    public Func<string, VolumeInfo?>? GetOverride { get; set; }

    /// <summary>Replaces List's answer.</summary>
    public Func<IReadOnlyList<VolumeInfo>>? ListOverride { get; set; }

    public VolumeScope Scope { get; set; } = VolumeScope.Local;

    /// <summary>Misbehaviour switch: how mounts are counted (default correct).</summary>
    public MountBookkeeping Bookkeeping { get; set; } = MountBookkeeping.CountPerId;

    /// <summary>Misbehaviour switch: answers a request (path, body) in place of the SDK's protocol layer when it returns
    /// a response, as a driver with hand-written wire code would; for answers the SDK never gives.</summary>
    public Func<string, ReadOnlyMemory<byte>, PluginResponse?>? RawAnswer { get; set; }

    public DateTimeOffset? CreatedAt { get; set; } = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    public int Calls => Volatile.Read(ref _calls);

    public bool Disposed { get; private set; }

    public TestOptions? LastOptions { get; private set; }

    public int MountCount(string name) => _volumes.TryGetValue(name, out var v) ? v.TotalMounts : 0;

    public async ValueTask CreateAsync(string name, TestOptions options, CancellationToken cancellationToken)
    {
        await EnterAsync("Create", name, cancellationToken);
        LastOptions = options;
        var path = Path.Combine(Context.DataRoot, name);
        Directory.CreateDirectory(path);
        _volumes.TryAdd(name, new Volume(path, CreatedAt));
    }

    public async ValueTask RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await EnterAsync("Remove", name, cancellationToken);
        var volume = Find(name);
        lock (volume)
        {
            if (volume.TotalMounts > 0)
            {
                throw VolumeDriverException.InUse(name);
            }

            _volumes.TryRemove(name, out _);
        }

        Directory.Delete(volume.Path, recursive: true);
    }

    public async ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await EnterAsync("Mount", name, cancellationToken);
        var volume = Find(name);
        lock (volume)
        {
            switch (Bookkeeping)
            {
                case MountBookkeeping.None:
                    break;
                case MountBookkeeping.SetOfIds:
                    volume.Mounts[id] = 1;
                    break;
                default:
                    volume.Mounts[id] = volume.Mounts.GetValueOrDefault(id) + 1;
                    break;
            }
        }

        return MountpointOverride?.Invoke(volume.Path) ?? volume.Path;
    }

    public async ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken)
    {
        await EnterAsync("Unmount", name, cancellationToken);
        var volume = Find(name);
        lock (volume)
        {
            if (!volume.Mounts.TryGetValue(id, out var count))
            {
                if (Bookkeeping == MountBookkeeping.None)
                {
                    return;
                }

                throw new VolumeDriverException($"volume '{name}' is not mounted with ID '{id}'");
            }

            if (Bookkeeping == MountBookkeeping.OneFlagPerVolume)
            {
                volume.Mounts.Clear();
            }
            else if (count == 1)
            {
                volume.Mounts.Remove(id);
            }
            else
            {
                volume.Mounts[id] = count - 1;
            }
        }
    }

    public async ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await EnterAsync("Get", name, cancellationToken);
        if (GetOverride is { } get)
        {
            return get(name);
        }

        return _volumes.TryGetValue(name, out var volume) ? volume.ToInfo(name) : null;
    }

    public async ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await EnterAsync("List", null, cancellationToken);
        if (ListOverride is { } list)
        {
            return list();
        }

        return _volumes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToInfo(p.Key)).ToArray();
    }

    public async ValueTask<VolumeCapabilities> CapabilitiesAsync(CancellationToken cancellationToken)
    {
        await EnterAsync("Capabilities", null, cancellationToken);
        return new VolumeCapabilities(Scope);
    }

    /// <summary>Runs during the host's start-up, after the socket is bound.</summary>
    public Func<CancellationToken, Task>? OnStart { get; set; }

    public bool Started { get; private set; }

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (OnStart is { } start)
        {
            await start(cancellationToken);
        }

        Started = true;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private async Task EnterAsync(string operation, string? name, CancellationToken cancellationToken)
    {
        if (!Started)
        {
            throw new InvalidOperationException($"{operation} was called before StartAsync completed");
        }

        Interlocked.Increment(ref _calls);
        if (OnCall is { } hook)
        {
            await hook(operation, name, cancellationToken);
        }
    }

    private Volume Find(string name) => _volumes.TryGetValue(name, out var volume) ? volume : throw VolumeDriverException.NotFound(name);

    private sealed class Volume(string path, DateTimeOffset? createdAt)
    {
        public string Path { get; } = path;

        public Dictionary<string, int> Mounts { get; } = new(StringComparer.Ordinal);

        public int TotalMounts
        {
            get
            {
                lock (this)
                {
                    return Mounts.Values.Sum();
                }
            }
        }

        public VolumeInfo ToInfo(string name)
        {
            var mounted = TotalMounts > 0;
            return new VolumeInfo(name)
            {
                Mountpoint = mounted ? Path : null,
                CreatedAt = createdAt,
                Status = new Dictionary<string, string> { ["mounts"] = TotalMounts.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
        }
    }
}

/// <summary>What the source generator would add to <see cref="TestDriver"/> (written by hand per the contract).</summary>
public sealed partial class TestDriver : IVolumePlugin<TestDriver>
{
    public const string ManifestJson = """{"description":"test driver","documentation":"","interface":{"types":["docker.volumedriver/1.0"],"socket":"test.sock"},"propagatedMount":"/data"}""";

    static PluginDescriptor IVolumePlugin<TestDriver>.Descriptor { get; } = new(ManifestJson, "test.sock", "/data");

    static TestDriver IVolumePlugin<TestDriver>.CreateDriver(PluginContext context) => new(context);

    static PluginDispatcher IVolumePlugin<TestDriver>.CreateDispatcher(TestDriver driver, PluginContext context) => new Dispatcher(driver, context);

    private sealed class Dispatcher(TestDriver driver, PluginContext context) : PluginDispatcher
    {
        public override ValueTask<PluginResponse> DispatchAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            driver.RawAnswer?.Invoke(path, body) is { } raw ? ValueTask.FromResult(raw) : Dispatch(path, body, cancellationToken);

        private ValueTask<PluginResponse> Dispatch(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => path switch
        {
            "/Plugin.Activate" => VolumeProtocol.ActivateAsync(),
            "/VolumeDriver.Create" => VolumeProtocol.CreateAsync<TestOptions>(driver, TestOptionsBinder.Bind, body, context, cancellationToken),
            "/VolumeDriver.Remove" => VolumeProtocol.RemoveAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.Mount" => VolumeProtocol.MountAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.Unmount" => VolumeProtocol.UnmountAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.Path" => VolumeProtocol.PathAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.Get" => VolumeProtocol.GetAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.List" => VolumeProtocol.ListAsync(driver, body, context, cancellationToken),
            "/VolumeDriver.Capabilities" => VolumeProtocol.CapabilitiesAsync(driver, body, context, cancellationToken),
            _ => VolumeProtocol.UnknownEndpointAsync(path),
        };
    }

    internal static class TestOptionsBinder
    {
        public static TestOptions Bind(string volume, IReadOnlyDictionary<string, string>? options)
        {
            var result = new TestOptions();
            if (options is null)
            {
                return result;
            }

            foreach (var pair in options)
            {
                switch (pair.Key.ToLowerInvariant())
                {
                    case "size":
                        result.Size = OptionParsers.ParseByteSize(pair.Value, $"volume '{volume}': option 'size'");
                        break;
                    case "uid":
                        result.Uid = OptionParsers.ParseInt32(pair.Value, $"volume '{volume}': option 'uid'");
                        break;
                    case "readonly":
                        result.ReadOnly = OptionParsers.ParseBoolean(pair.Value, $"volume '{volume}': option 'readonly'");
                        break;
                    default:
                        throw new VolumeOptionException($"volume '{volume}': unknown option '{pair.Key}' (known: readonly, size, uid)");
                }
            }

            return result;
        }
    }
}
