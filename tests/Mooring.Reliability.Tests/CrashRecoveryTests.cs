using System.Text.Json;
using Mooring.TestFixtures;
using Mooring.Testing;
using Xunit.Abstractions;

namespace Mooring.Reliability.Tests;

/// <summary>
/// SIGKILL at random instants during a stream of Create/Mount/Unmount/Remove, then a restart over the same data root:
/// what was acknowledged is kept, what was in flight either happened or did not (never half), List never shows a
/// volume twice, and the kernel's mounts match the counts.
/// </summary>
[Collection(BuiltSamplesCollection.Name)]
public sealed class CrashRecoveryTests(BuiltSamples samples, ITestOutputHelper output)
{
    private const int Iterations = 40;
    private static readonly string[] Volumes = ["v0", "v1", "v2", "v3", "v4"];
    private static readonly string[] Ids = [new('a', 64), new('b', 64), new('c', 64)];

    [RootTheory]
    [InlineData("LocalVolume")]
    [InlineData("TmpfsVolume")]
    public async Task Kill_9_at_random_points_loses_no_acknowledged_operation(string sampleName)
    {
        var kind = SampleKind.Of(sampleName);
        var random = new Random(4242 + sampleName.Length);
        await using var plugin = await PluginProcess.StartAsync(kind.BinaryIn(samples), kind.SocketName);
        var model = new Model(kind.MountsTmpfs);
        var uncertainSeen = 0;

        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            // A few acknowledged operations: each must do exactly what the model predicts.
            for (var i = random.Next(1, 8); i > 0; i--)
            {
                var op = Operation.Pick(random, model);
                var result = await op.RunAsync(plugin.Client);
                Assert.True(result.Response is not null, $"iteration {iteration}: {op} got no answer");
                var expected = model.Apply(op);
                Assert.True(expected == result.IsSuccess, $"iteration {iteration}: {op} expected {(expected ? "success" : "an error")}, got {result}");
                await AfterAcknowledgedAsync(kind, plugin, model, op);
            }

            // One more, and the plugin dies while (or just before, or just after) it runs.
            var inFlight = Operation.Pick(random, model);
            var before = model.Clone();
            var call = inFlight.RunAsync(plugin.Client);
            var delay = random.Next(0, 4);
            if (delay > 0)
            {
                Thread.SpinWait(random.Next(0, 400_000 * delay));
            }

            await plugin.KillAsync();
            var outcome = await call;
            Model? after = null;
            if (outcome.Response is { } response)
            {
                // Answered before the kill: acknowledged like any other.
                Assert.True(model.Apply(inFlight) == outcome.IsSuccess, $"iteration {iteration}: {inFlight} → {response.StatusCode}");
            }
            else
            {
                uncertainSeen++;
                after = before.Clone();
                after.Apply(inFlight);
            }

            await plugin.RestartAsync();
            var observed = await ObserveAsync(kind, plugin);
            if (after is null)
            {
                AssertMatches(model, observed, $"iteration {iteration} (after an acknowledged {inFlight})");
            }
            else if (observed.SameAs(before))
            {
                model = before;
            }
            else
            {
                AssertMatches(after, observed, $"iteration {iteration}: {inFlight} was in flight; the state is neither before nor after it");
                model = after;
            }

            await CheckDataSurvivedAsync(kind, plugin, model, $"iteration {iteration}");
        }

        // Release everything the model holds: afterwards nothing may stay mounted, and every volume can go.
        foreach (var (volume, state) in model.Volumes)
        {
            foreach (var (id, count) in state.Mounts)
            {
                for (var i = 0; i < count; i++)
                {
                    Assert.True((await plugin.Client.UnmountAsync(volume, id)).IsSuccess);
                }
            }
        }

        Assert.Empty(KernelMounts.Below(plugin.DataRoot));
        foreach (var volume in model.Volumes.Keys)
        {
            var removed = await plugin.Client.RemoveAsync(volume);
            Assert.True(removed.IsSuccess, removed.ToString());
        }

        Assert.Empty((await plugin.Client.ListAsync()).Value!);
        output.WriteLine($"{kind}: {Iterations} kills, {uncertainSeen} with the operation in flight");
        Assert.False(plugin.HasExited);
    }

    private static async Task AfterAcknowledgedAsync(SampleKind kind, PluginProcess plugin, Model model, Operation op)
    {
        // Leave a file in the volume while it is certainly there, to check later that restarts keep (or adopt) it.
        if (!model.Volumes.TryGetValue(op.Volume, out var state))
        {
            return;
        }

        if (kind.MountsTmpfs && state.Total == 0)
        {
            state.HasMarker = false; // unmounted: the tmpfs and what was in it are gone
            return;
        }

        if (!state.HasMarker)
        {
            await File.WriteAllTextAsync(Path.Combine(kind.DataPathOf(plugin, op.Volume), "marker"), op.Volume);
            state.HasMarker = true;
        }
    }

    private static async Task CheckDataSurvivedAsync(SampleKind kind, PluginProcess plugin, Model model, string when)
    {
        foreach (var (volume, state) in model.Volumes)
        {
            if (kind.MountsTmpfs && state.Total == 0)
            {
                state.HasMarker = false; // a tmpfs that was unmounted is empty next time: that is the point
            }

            if (state.HasMarker)
            {
                var marker = Path.Combine(kind.DataPathOf(plugin, volume), "marker");
                Assert.True(File.Exists(marker), $"{when}: the file written into volume '{volume}' is gone");
                Assert.Equal(volume, await File.ReadAllTextAsync(marker));
            }
        }
    }

    private static async Task<Observed> ObserveAsync(SampleKind kind, PluginProcess plugin)
    {
        var list = await plugin.Client.ListAsync();
        Assert.True(list.IsSuccess, list.ToString());
        var names = list.Value!.Select(v => v.Name).ToArray();
        Assert.True(names.Length == names.Distinct().Count(), "List reported a volume twice: " + string.Join(", ", names));

        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var volume in Volumes)
        {
            var got = await plugin.Client.GetAsync(volume);
            Assert.Equal(got.IsSuccess, names.Contains(volume));
            if (got.IsSuccess)
            {
                totals[volume] = int.Parse(got.Value!.Status!["mounts"].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        // Kernel mounts: exactly one tmpfs per volume with mounts, none otherwise (and never any for LocalVolume).
        var mounts = KernelMounts.Below(plugin.DataRoot);
        var expectedMounts = kind.MountsTmpfs
            ? totals.Where(t => t.Value > 0).Select(t => kind.DataPathOf(plugin, t.Key)).Order(StringComparer.Ordinal).ToArray()
            : [];
        Assert.Equal(expectedMounts, mounts.Order(StringComparer.Ordinal).ToArray());

        if (!kind.MountsTmpfs)
        {
            // No data without a record: after start-up only the listed volumes have directories.
            var directories = Directory.GetDirectories(Path.Combine(plugin.DataRoot, "volumes")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal(names.Order(StringComparer.Ordinal), directories);
        }

        return new Observed(totals);
    }

    private static void AssertMatches(Model expected, Observed observed, string when)
    {
        var want = expected.Volumes.ToDictionary(v => v.Key, v => v.Value.Total);
        Assert.True(observed.Totals.Count == want.Count && want.All(w => observed.Totals.TryGetValue(w.Key, out var t) && t == w.Value),
            $"{when}: expected {JsonSerializer.Serialize(want)}, observed {JsonSerializer.Serialize(observed.Totals)}");
    }

    private sealed record Observed(Dictionary<string, int> Totals)
    {
        public bool SameAs(Model model) =>
            Totals.Count == model.Volumes.Count && model.Volumes.All(v => Totals.TryGetValue(v.Key, out var t) && t == v.Value.Total);
    }

    private sealed class VolumeState
    {
        public Dictionary<string, int> Mounts { get; } = new(StringComparer.Ordinal);

        public bool HasMarker { get; set; }

        public int Total => Mounts.Values.Sum();
    }

    private sealed class Model(bool volatileData)
    {
        public SortedDictionary<string, VolumeState> Volumes { get; } = new(StringComparer.Ordinal);

        public Model Clone()
        {
            var copy = new Model(volatileData);
            foreach (var (name, state) in Volumes)
            {
                var cloned = new VolumeState { HasMarker = state.HasMarker };
                foreach (var (id, count) in state.Mounts)
                {
                    cloned.Mounts[id] = count;
                }

                copy.Volumes[name] = cloned;
            }

            return copy;
        }

        /// <summary>Applies an operation as the plugin must; returns whether it must succeed.</summary>
        public bool Apply(Operation op)
        {
            Volumes.TryGetValue(op.Volume, out var state);
            switch (op.Kind)
            {
                case OpKind.Create:
                    Volumes.TryAdd(op.Volume, new VolumeState());
                    return true;
                case OpKind.Remove:
                    if (state is null || state.Total > 0)
                    {
                        return false;
                    }

                    Volumes.Remove(op.Volume);
                    return true;
                case OpKind.Mount:
                    if (state is null)
                    {
                        return false;
                    }

                    state.Mounts[op.Id!] = state.Mounts.GetValueOrDefault(op.Id!) + 1;
                    return true;
                default:
                    if (state is not null && state.Mounts.TryGetValue(op.Id!, out var count))
                    {
                        if (count > 1)
                        {
                            state.Mounts[op.Id!] = count - 1;
                        }
                        else
                        {
                            state.Mounts.Remove(op.Id!);
                            state.HasMarker &= !(volatileData && state.Total == 0);
                        }
                    }

                    return true; // releasing an ID that is not counted is harmless
            }
        }
    }

    private enum OpKind
    {
        Create,
        Remove,
        Mount,
        Unmount,
    }

    private sealed record Operation(OpKind Kind, string Volume, string? Id)
    {
        public static Operation Pick(Random random, Model model)
        {
            var volume = Volumes[random.Next(Volumes.Length)];
            var id = Ids[random.Next(Ids.Length)];
            model.Volumes.TryGetValue(volume, out var state);

            // Mostly meaningful operations, some that must fail, so every path is exercised.
            var roll = random.Next(100);
            if (state is null)
            {
                return roll < 75 ? new(OpKind.Create, volume, null) : new(roll < 88 ? OpKind.Mount : OpKind.Remove, volume, id);
            }

            if (state.Total > 0 && roll < 45)
            {
                var held = state.Mounts.Keys.ElementAt(random.Next(state.Mounts.Count));
                return new(OpKind.Unmount, volume, held);
            }

            return roll switch
            {
                < 50 => new(OpKind.Mount, volume, id),
                < 75 => new(OpKind.Remove, volume, null),
                < 85 => new(OpKind.Unmount, volume, id),
                _ => new(OpKind.Create, volume, null),
            };
        }

        public async Task<Outcome> RunAsync(DockerPluginClient client)
        {
            try
            {
                var result = Kind switch
                {
                    OpKind.Create => await client.CreateAsync(Volume, new Dictionary<string, string> { ["mode"] = "0750" }),
                    OpKind.Remove => await client.RemoveAsync(Volume),
                    OpKind.Mount => await client.MountAsync(Volume, Id!),
                    _ => await client.UnmountAsync(Volume, Id!),
                };
                return new Outcome(result.Response, result.IsSuccess);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                return new Outcome(null, false); // the plugin died before answering
            }
        }

        public override string ToString() => Id is null ? $"{Kind}({Volume})" : $"{Kind}({Volume}, {Id[..1]})";
    }

    private sealed record Outcome(PluginHttpResponse? Response, bool IsSuccess);
}
