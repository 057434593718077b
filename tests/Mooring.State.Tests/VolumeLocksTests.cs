using System.Diagnostics;

namespace Mooring.State.Tests;

public sealed class VolumeLocksTests
{
    [Fact]
    public async Task Operations_on_one_volume_never_overlap()
    {
        var locks = new VolumeLocks();
        var inside = 0;
        var maxInside = 0;
        var total = 0;

        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await using var held = await locks.AcquireAsync("v");
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                await Task.Yield();
                total++; // unsynchronised on purpose: the lock is what protects it
                Interlocked.Decrement(ref inside);
            }
        })));

        Assert.Equal(1, maxInside);
        Assert.Equal(32 * 20, total);
        Assert.Equal(0, locks.ActiveCount);
    }

    [Fact]
    public async Task A_hung_holder_on_one_volume_does_not_delay_another()
    {
        var locks = new VolumeLocks();
        var hung = await locks.AcquireAsync("a");

        var watch = Stopwatch.StartNew();
        await using (await locks.AcquireAsync("b").AsTask().WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
        }

        // A waiter on the hung volume gives up when told to, and is not left holding anything.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await locks.AcquireAsync("a", timeout.Token));
        Assert.Equal(1, locks.ActiveCount);

        hung.Dispose();
        hung.Dispose(); // a second dispose must not release someone else's hold
        await using var next = await locks.AcquireAsync("a").AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var third = locks.AcquireAsync("a").AsTask();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        await next.DisposeAsync();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Waiters_are_served_once_the_holder_leaves()
    {
        var locks = new VolumeLocks();
        var first = await locks.AcquireAsync("v");
        var second = locks.AcquireAsync("v").AsTask();

        Assert.False(second.IsCompleted);
        first.Dispose();

        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal(0, locks.ActiveCount);
    }

    [Fact]
    public async Task Idle_names_are_forgotten()
    {
        var locks = new VolumeLocks();

        await Parallel.ForAsync(0, 10_000, async (i, ct) =>
        {
            await using var held = await locks.AcquireAsync($"volume-{i % 2500}", ct);
        });

        Assert.Equal(0, locks.ActiveCount);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await locks.AcquireAsync("x", cancelled.Token));
        Assert.Equal(0, locks.ActiveCount);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
