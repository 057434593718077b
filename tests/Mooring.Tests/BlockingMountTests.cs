using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>
/// Issue 11's concurrency guarantee, through the real host on a unix socket: a Mount that blocks (a hung NFS server, a
/// slow mount(2)) delays neither Capabilities, nor Get, nor Mount of other volumes. dockerd calls Capabilities before
/// almost every operation, so one stuck volume must not stall every `docker` command on the host.
/// </summary>
/// <remarks>Robust on a loaded machine: nothing is timed tightly. The blocked Mounts wait on a gate that only the test
/// opens, after every other call has been answered; had the host serialised requests behind them, those calls could
/// never be answered while the gate is shut, and their generous deadline fails the test.</remarks>
public sealed class BlockingMountTests
{
    // More blocked Mounts than this machine has cores, so that a host running handlers on a fixed set of I/O threads
    // (inline socket completions) would have none left.
    private static readonly int Blocked = Math.Max(4, Environment.ProcessorCount + 2);
    private static readonly TimeSpan OthersDeadline = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan GateFallback = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Blocked_Mounts_do_not_delay_Capabilities_Get_or_a_Mount_of_another_volume(bool blockThread)
    {
        using var gate = new ManualResetEventSlim(false);
        var entered = 0;
        var allEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await PluginFixture.StartAsync(driver => driver.OnCall = async (op, name, ct) =>
        {
            if (op != "Mount" || name?.StartsWith("slow-", StringComparison.Ordinal) != true)
            {
                return;
            }

            if (Interlocked.Increment(ref entered) == Blocked)
            {
                allEntered.TrySetResult();
            }

            if (blockThread)
            {
                gate.Wait(GateFallback, ct); // a driver doing blocking I/O on the request's thread
            }
            else
            {
                await Task.Run(() => gate.Wait(GateFallback, ct), ct); // a driver awaiting slow I/O
            }
        });

        for (var i = 0; i < Blocked; i++)
        {
            Assert.True((await f.Client.CreateAsync($"slow-{i}")).IsSuccess);
        }

        Assert.True((await f.Client.CreateAsync("other")).IsSuccess);

        // Each blocked Mount on a connection of its own, as dockerd sends concurrent requests.
        var slowMounts = Enumerable.Range(0, Blocked).Select(i => f.Client.MountAsync($"slow-{i}", $"id-{i}")).ToArray();
        await Within(allEntered.Task, () => $"only {Volatile.Read(ref entered)} of {Blocked} concurrent Mounts reached the driver: the host runs requests one after another");

        var capabilities = await Within(f.Client.CapabilitiesAsync(), () => "Capabilities waited for the blocked Mounts");
        var get = await Within(f.Client.GetAsync("other"), () => "Get of another volume waited for the blocked Mounts");
        var getBlocked = await Within(f.Client.GetAsync("slow-0"), () => "Get of a volume whose Mount is blocked waited for that Mount");
        var mount = await Within(f.Client.MountAsync("other", "other-id"), () => "Mount of another volume waited for the blocked Mounts");
        var unmount = await Within(f.Client.UnmountAsync("other", "other-id"), () => "Unmount of another volume waited for the blocked Mounts");

        Assert.False(gate.IsSet);
        Assert.All(slowMounts, m => Assert.False(m.IsCompleted, "a blocked Mount finished while its gate was shut"));
        Assert.True(capabilities.IsSuccess, capabilities.ToString());
        Assert.True(get.IsSuccess, get.ToString());
        Assert.True(getBlocked.IsSuccess, getBlocked.ToString());
        Assert.True(mount.IsSuccess, mount.ToString());
        Assert.True(unmount.IsSuccess, unmount.ToString());

        gate.Set();
        foreach (var slow in slowMounts)
        {
            var result = await slow.WaitAsync(OthersDeadline);
            Assert.True(result.IsSuccess, result.ToString());
        }

        Assert.Equal(1, f.Driver.MountCount("slow-0"));
    }

    // Fails with what went wrong when the call is not answered while the gate is shut (the gate opens only later).
    private static async Task<T> Within<T>(Task<T> call, Func<string> problem)
    {
        await Within((Task)call, problem);
        return await call;
    }

    private static async Task Within(Task call, Func<string> problem)
    {
        if (await Task.WhenAny(call, Task.Delay(OthersDeadline)) != call)
        {
            Assert.Fail($"{problem()} (no answer within {OthersDeadline.TotalSeconds:0} s)");
        }
    }
}
