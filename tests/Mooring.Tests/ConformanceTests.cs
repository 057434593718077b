using System.Text;
using System.Text.Json;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;
using Mooring.Testing;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>
/// The conformance kit against <see cref="TestDriver"/>: the well-behaved driver passes every check, and for every check
/// a deliberately broken variant fails it with a message that says what dockerd would do.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Checks => new(VolumeDriverConformance.Checks);

    public static TheoryData<string> BrokenVariants => new(Broken.Keys);

    /// <summary>Each misbehaviour: the check it must fail, the switch that breaks the driver, and the dockerd
    /// consequence the message must name.</summary>
    private static readonly Dictionary<string, (string Check, Action<TestDriver> Misbehave, string[] Expected)> Broken = new()
    {
        ["Get answers every name"] = (VolumeDriverConformance.GetBeforeCreate,
            d => d.GetOverride = name => new VolumeInfo(name),
            ["dockerd will skip Create because Get returned a volume for an unknown name 'conformance-new'"]),
        ["Create refuses an existing volume"] = (VolumeDriverConformance.IdempotentCreate,
            RefuseSecondCreate,
            ["dockerd sends Create again for a volume that already exists", "volume 'conformance-twice' already exists"]),
        ["Create wipes an existing volume"] = (VolumeDriverConformance.IdempotentCreate,
            d => d.OnCall = (op, name, _) =>
            {
                var directory = Path.Combine(d.Context.DataRoot, name!);
                if (op == "Create" && Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return Task.CompletedTask;
            },
            ["a second Create of existing volume 'conformance-twice' lost its data"]),
        ["any Unmount unmounts"] = (VolumeDriverConformance.TwoMountIds,
            d => d.Bookkeeping = MountBookkeeping.OneFlagPerVolume,
            ["two containers mounted volume 'conformance-shared' (two IDs) and one stopped (one Unmount), and Remove then succeeded"]),
        ["a set of mount IDs"] = (VolumeDriverConformance.SameMountIdTwice,
            d => d.Bookkeeping = MountBookkeeping.SetOfIds,
            ["dockerd would remove volume 'conformance-cp' while its container still runs: `docker cp` mounted it a second time"]),
        ["a failed Mount is counted"] = (VolumeDriverConformance.FailedMountWithoutUnmount,
            CountBeforeLookingUp,
            ["`docker volume rm conformance-late` would fail although no container uses it: dockerd never sends Unmount after a failed Mount"]),
        ["mounts are not counted"] = (VolumeDriverConformance.RemoveWhileMounted,
            d => d.Bookkeeping = MountBookkeeping.None,
            ["dockerd would delete volume 'conformance-busy' under the running container", "Remove while mounted succeeded"]),
        ["CreatedAt is not RFC 3339"] = (VolumeDriverConformance.CreatedAtFormat,
            d => d.RawAnswer = (path, _) => path == "/VolumeDriver.Get"
                ? Json("""{"Volume":{"Name":"conformance-dated","CreatedAt":"2026-11-29 10:00:00"}}""")
                : null,
            ["dockerd cannot decode Get's answer (parsing time \"2026-11-29 10:00:00\"", "`docker volume inspect conformance-dated` fails"]),
        ["Mountpoint outside the data root"] = (VolumeDriverConformance.MountpointUnderDataRoot,
            d => d.RawAnswer = (path, _) => path == "/VolumeDriver.Mount" ? Json("""{"Mountpoint":"/srv/volumes/conformance-where"}""") : null,
            ["only the propagated mount", "Mount returned '/srv/volumes/conformance-where', which is outside the data root"]),
        ["relative Mountpoint"] = (VolumeDriverConformance.MountpointUnderDataRoot,
            d => d.RawAnswer = (path, _) => path == "/VolumeDriver.Mount" ? Json("""{"Mountpoint":"volumes/conformance-where"}""") : null,
            ["a container would get an empty or wrong directory instead of volume 'conformance-where'", "which is not an absolute path"]),
        ["slow Capabilities"] = (VolumeDriverConformance.CapabilitiesCheapAndStable,
            d => d.OnCall = (op, _, ct) => op == "Capabilities" ? Task.Delay(TimeSpan.FromMilliseconds(300), ct) : Task.CompletedTask,
            ["every `docker volume` and `docker run -v` command would wait: the median of 19 calls took", "limit 100 ms)"]),
        ["Capabilities flips its scope"] = (VolumeDriverConformance.CapabilitiesCheapAndStable,
            d => d.OnCall = (op, _, _) =>
            {
                if (op == "Capabilities")
                {
                    d.Scope = d.Scope == VolumeScope.Local ? VolumeScope.Global : VolumeScope.Local;
                }

                return Task.CompletedTask;
            },
            ["whether volumes are local or cluster-wide (global) would depend on timing: call 1 answered 'global', call 2 answered 'local'"]),
        ["no name validation"] = (VolumeDriverConformance.HostileNames,
            d => d.RawAnswer = (path, body) => path == "/VolumeDriver.Create" ? NaiveCreate(d, body, refuse: false) : null,
            ["dockerd passes volume names to the plugin unchecked", "with the name '..' would succeed although its directory would be the data root's parent"]),
        ["name validated after the directory is made"] = (VolumeDriverConformance.HostileNames,
            d => d.RawAnswer = (path, body) => path == "/VolumeDriver.Create" ? NaiveCreate(d, body, refuse: true) : null,
            ["requests for hostile volume names changed files outside the data root (+conformance-escape)"]),
    };

    [Theory]
    [MemberData(nameof(Checks))]
    public Task A_driver_that_behaves_passes(string check) => VolumeDriverConformance.RunAsync(check, Persistent());

    [Theory]
    [MemberData(nameof(BrokenVariants))]
    public async Task A_broken_driver_fails_with_what_dockerd_would_do(string variant)
    {
        var (check, misbehave, expected) = Broken[variant];
        var options = new ConformanceOptions { CapabilitiesTimeLimit = TimeSpan.FromMilliseconds(100) };

        var failure = await Assert.ThrowsAsync<ConformanceException>(() => VolumeDriverConformance.RunAsync(check, Persistent(misbehave), options));

        Assert.Equal(check, failure.Check);
        Assert.StartsWith($"conformance check '{check}' failed: ", failure.Message);
        foreach (var text in expected)
        {
            Assert.True(failure.Message.Contains(text, StringComparison.Ordinal), $"expected \"{text}\" in: {failure.Message}");
        }
    }

    [Fact]
    public async Task A_driver_that_forgets_its_volumes_on_restart_fails_list_after_restart()
    {
        // A new, empty TestDriver per start: what an in-memory-only driver looks like after a restart.
        var failure = await Assert.ThrowsAsync<ConformanceException>(() =>
            VolumeDriverConformance.RunAsync(VolumeDriverConformance.ListAfterRestart, context => new TestDriver(context)));

        Assert.Contains("after a plugin restart (disable/enable, upgrade, crash) `docker volume ls` would no longer show 'conformance-kept'", failure.Message);
    }

    [Fact]
    public void Every_check_has_a_broken_driver_that_fails_it()
    {
        var covered = Broken.Values.Select(v => v.Check).Append(VolumeDriverConformance.ListAfterRestart).ToHashSet();

        Assert.Equal(VolumeDriverConformance.Checks.Order(), covered.Order());
    }

    [Fact]
    public async Task A_driver_that_needs_options_is_told_where_to_put_them()
    {
        var failure = await Assert.ThrowsAsync<ConformanceException>(() => VolumeDriverConformance.RunAsync(
            VolumeDriverConformance.GetBeforeCreate,
            Persistent(d => d.OnCall = (op, _, _) => op == "Create" && d.LastOptions is null ? throw new VolumeOptionException("option 'size' is required") : Task.CompletedTask)));

        Assert.True(failure.Message.Contains("`docker volume create conformance-new` would fail with \"VolumeDriver.Create: option 'size' is required\"", StringComparison.Ordinal), failure.Message);
        Assert.Contains("set ConformanceOptions.CreateOptions", failure.Message);
    }

    [Fact]
    public async Task Create_options_reach_every_create()
    {
        TestOptions? seen = null;
        var options = new ConformanceOptions { CreateOptions = new Dictionary<string, string> { ["size"] = "1G" } };

        await VolumeDriverConformance.RunAsync(VolumeDriverConformance.IdempotentCreate, Persistent(d => d.OnCall = (op, _, _) =>
        {
            seen = op == "Mount" ? d.LastOptions : seen;
            return Task.CompletedTask;
        }), options);

        Assert.Equal(new ByteSize(1L << 30), seen?.Size);
    }

    [Fact]
    public async Task An_unknown_check_is_refused_with_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => VolumeDriverConformance.RunAsync<TestDriver>("bogus"));

        Assert.Contains("unknown conformance check 'bogus' (known: get-before-create, ", error.Message);
    }

    [Fact]
    public async Task The_harness_restarts_over_the_same_data_root_and_cleans_up()
    {
        var harness = await PluginHarness<TestDriver>.StartAsync(Persistent());
        var root = harness.Root;
        Assert.StartsWith(root + "/", harness.DataRoot);
        Assert.True((await harness.Client.CreateAsync("v")).IsSuccess);

        await harness.RestartAsync();

        Assert.True(harness.Driver.Started);
        Assert.True((await harness.Client.GetAsync("v")).IsSuccess);
        Assert.True(Directory.Exists(Path.Combine(harness.DataRoot, "v")));
        await harness.DisposeAsync();
        Assert.False(Directory.Exists(root));
    }

    /// <summary>TestDriver keeps its volumes in memory; giving the restarted host the same instance is, to dockerd,
    /// exactly a driver that keeps its state under the data root.</summary>
    private static Func<PluginContext, TestDriver> Persistent(Action<TestDriver>? misbehave = null)
    {
        TestDriver? kept = null;
        return context =>
        {
            if (kept is null)
            {
                kept = new TestDriver(context);
                misbehave?.Invoke(kept);
            }

            return kept;
        };
    }

    private static void RefuseSecondCreate(TestDriver driver)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        driver.OnCall = (op, name, _) => op == "Create" && !created.Add(name!)
            ? throw new VolumeDriverException($"volume '{name}' already exists")
            : Task.CompletedTask;
    }

    /// <summary>Counts a mount before it looks the volume up, so a Mount that fails still counts.</summary>
    private static void CountBeforeLookingUp(TestDriver driver)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        driver.OnCall = (op, name, _) =>
        {
            lock (counts)
            {
                switch (op)
                {
                    case "Mount":
                        counts[name!] = counts.GetValueOrDefault(name!) + 1;
                        break;
                    case "Unmount":
                        counts[name!]--;
                        break;
                    case "Remove" when counts.GetValueOrDefault(name!) > 0:
                        throw VolumeDriverException.InUse(name!);
                }
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>A Create written without the SDK's name check: a name the SDK would refuse goes straight into a path
    /// (valid names take the normal route). With <paramref name="refuse"/> it checks the name only after making the
    /// directory.</summary>
    private static PluginResponse? NaiveCreate(TestDriver driver, ReadOnlyMemory<byte> body, bool refuse)
    {
        var name = JsonDocument.Parse(body).RootElement.GetProperty("Name").GetString()!;
        if (VolumeName.IsValid(name))
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(Path.Combine(driver.Context.DataRoot, name));
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            return Json($$"""{"Err":{{JsonSerializer.Serialize(ex.Message)}}}""", 500);
        }

        return refuse ? Json("""{"Err":"invalid volume name"}""", 400) : Json("{}");
    }

    private static PluginResponse Json(string json, int status = 200) => new(status, Encoding.UTF8.GetBytes(json));
}
