using System.Globalization;
using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>
/// 64 clients at once, half on volumes of their own and half on one shared volume: per-volume locks serialise the
/// shared one (one tmpfs, not 32 stacked), the others proceed in parallel, and the ledger and List agree afterwards.
/// </summary>
[Collection(BuiltSamplesCollection.Name)]
public sealed class ConcurrencyTests(BuiltSamples samples)
{
    private const int Clients = 64;

    [RootTheory]
    [InlineData("LocalVolume")]
    [InlineData("TmpfsVolume")]
    public async Task Sixty_four_parallel_clients_leave_consistent_counts_and_state(string sampleName)
    {
        var kind = SampleKind.Of(sampleName);
        await using var plugin = await PluginProcess.StartAsync(kind.BinaryIn(samples), kind.SocketName);

        var errors = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            // Each client has its own connection, as dockerd's goroutines do.
            await using var connection = new Mooring.Testing.DockerPluginClient(plugin.SocketPath);
            var problems = new List<string>();
            var own = client % 2 == 0;
            var volume = own ? $"own{client}" : "shared";
            var id1 = client.ToString("x", CultureInfo.InvariantCulture).PadLeft(64, '1');
            var id2 = client.ToString("x", CultureInfo.InvariantCulture).PadLeft(64, '2');
            void Check(Mooring.Testing.PluginCallResult result, string what)
            {
                if (!result.IsSuccess)
                {
                    problems.Add($"client {client}: {what}: {result}");
                }
            }

            Check(await connection.CreateAsync(volume, new Dictionary<string, string> { ["mode"] = "0755" }), "create");
            Check(await connection.MountAsync(volume, id1), "mount 1");
            Check(await connection.MountAsync(volume, id2), "mount 2");
            Check(await connection.GetAsync(volume), "get");
            Check(await connection.ListAsync(), "list");
            Check(await connection.UnmountAsync(volume, id2), "unmount 2");

            // Expected failure, not an error: a volume in use is not removed.
            var remove = await connection.RemoveAsync(volume);
            if (remove.IsSuccess || !remove.Error!.Contains("in use", StringComparison.Ordinal))
            {
                problems.Add($"client {client}: remove of a mounted volume: {remove}");
            }

            if (own)
            {
                Check(await connection.UnmountAsync(volume, id1), "unmount 1");
                Check(await connection.RemoveAsync(volume), "remove");
            }

            return problems;
        })));

        Assert.Empty(errors.SelectMany(e => e));
        var list = (await plugin.Client.ListAsync()).Value!;
        Assert.Equal(["shared"], list.Select(v => v.Name));
        var shared = (await plugin.Client.GetAsync("shared")).Value!;
        Assert.Equal((Clients / 2).ToString(CultureInfo.InvariantCulture), shared.Status!["mounts"].GetString());

        // One kernel mount for the shared tmpfs, whoever got there first; none for LocalVolume.
        Assert.Equal(kind.MountsTmpfs ? 1 : 0, KernelMounts.Below(plugin.DataRoot).Count);

        // The ledger on disk says the same after a restart.
        await plugin.KillAsync();
        await plugin.RestartAsync();
        shared = (await plugin.Client.GetAsync("shared")).Value!;
        Assert.Equal((Clients / 2).ToString(CultureInfo.InvariantCulture), shared.Status!["mounts"].GetString());
        for (var client = 1; client < Clients; client += 2)
        {
            var id = client.ToString("x", CultureInfo.InvariantCulture).PadLeft(64, '1');
            Assert.True((await plugin.Client.UnmountAsync("shared", id)).IsSuccess);
        }

        Assert.Empty(KernelMounts.Below(plugin.DataRoot));
        Assert.True((await plugin.Client.RemoveAsync("shared")).IsSuccess);
        Assert.Empty((await plugin.Client.ListAsync()).Value!);
    }
}
