using Mooring.State;

namespace Mooring.Tests;

/// <summary>
/// Group commit of directory fsyncs (sdk/Mooring/State/DirectorySync.cs), with a probe in place of fsync: a caller is
/// released only by an fsync that began after it called, a failed fsync fails every caller it covered, and concurrent
/// callers share fsyncs. tests/Mooring.State.Tests/FsyncOrderTests.cs shows the real system calls of a single writer.
/// </summary>
public sealed class DirectorySyncTests
{
    [Fact]
    public async Task A_lone_caller_gets_one_fsync_of_its_directory()
    {
        var probe = new FsyncProbe();
        var sync = new DirectorySync("/state/volumes", probe.Fsync);

        await sync.SyncAsync();
        await sync.SyncAsync();

        Assert.Equal(["/state/volumes", "/state/volumes"], probe.Directories);
    }

    [Fact]
    public async Task A_caller_that_arrives_during_an_fsync_waits_for_the_next_and_later_callers_share_it()
    {
        var probe = new FsyncProbe { BlockingCalls = int.MaxValue };
        var sync = new DirectorySync("/d", probe.Fsync);

        var first = Task.Run(() => sync.SyncAsync().AsTask());
        await probe.WaitEnteredAsync(1);
        var second = sync.SyncAsync().AsTask();
        var third = sync.SyncAsync().AsTask();

        probe.Release(1);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await probe.WaitEnteredAsync(2);
        Assert.False(second.IsCompleted, "released by an fsync that began before its change was made");
        Assert.False(third.IsCompleted, "released by an fsync that began before its change was made");

        probe.Release(2);
        await Task.WhenAll(second, third).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, probe.Count);
    }

    [Fact]
    public async Task A_failed_fsync_fails_every_caller_it_covered_and_no_later_one()
    {
        // Only the first fsync blocks; the second fails at once. The callers waiting behind the first wake on the thread
        // pool one by one, so most of them look again only after the second fsync, the one that covered them, has
        // already failed: they must still get its error, not the success of a third fsync that one of them starts.
        var probe = new FsyncProbe { BlockingCalls = 1, FailCall = 2 };
        var sync = new DirectorySync("/d", probe.Fsync);

        var first = Task.Run(() => sync.SyncAsync().AsTask());
        await probe.WaitEnteredAsync(1);
        var covered = Enumerable.Range(0, 32).Select(_ => sync.SyncAsync().AsTask()).ToArray();
        probe.Release(1);
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var task in covered)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("probe failure of fsync 2", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, probe.Count);
        await sync.SyncAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // after the failure: the next fsync decides
        Assert.Equal(3, probe.Count);
    }

    [Fact]
    public async Task Callers_that_wait_together_share_one_fsync_that_began_after_each_of_them_called()
    {
        var clock = 0L;
        var calls = 0;
        var allCalled = new ManualResetEventSlim();
        var fsyncs = new List<(long Start, long End)>();
        var sync = new DirectorySync("/d", _ =>
        {
            var start = Interlocked.Increment(ref clock);
            if (Interlocked.Increment(ref calls) == 1 && !allCalled.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("the other callers never called");
            }

            lock (fsyncs)
            {
                fsyncs.Add((start, Interlocked.Increment(ref clock)));
            }
        });

        async Task<(long Called, long Returned)> CallAsync()
        {
            var called = Interlocked.Increment(ref clock);
            await sync.SyncAsync();
            return (called, Interlocked.Increment(ref clock));
        }

        // The first caller's fsync is slow; 63 more change the directory meanwhile.
        var first = Task.Factory.StartNew(CallAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));
        var others = Enumerable.Range(0, 63).Select(_ => CallAsync()).ToArray();
        Assert.All(others, task => Assert.False(task.IsCompleted, "released by an fsync that began before it called"));
        allCalled.Set();

        var callers = await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, fsyncs.Count); // the slow one, then one for all 63
        foreach (var (called, returned) in callers)
        {
            Assert.True(fsyncs.Any(f => f.Start > called && f.End < returned),
                $"a caller (called at {called}, returned at {returned}) was released without an fsync that began after it called");
        }
    }

    private sealed class FsyncProbe
    {
        private readonly Lock _gate = new();
        private readonly List<string> _directories = [];
        private readonly Dictionary<int, SemaphoreSlim> _releases = [];
        private readonly Dictionary<int, TaskCompletionSource> _entered = [];

        public int BlockingCalls { get; init; }

        public int FailCall { get; init; }

        public IReadOnlyList<string> Directories
        {
            get
            {
                lock (_gate)
                {
                    return [.. _directories];
                }
            }
        }

        public int Count => Directories.Count;

        public void Fsync(string directory)
        {
            int call;
            lock (_gate)
            {
                _directories.Add(directory);
                call = _directories.Count;
            }

            Entered(call).TrySetResult();
            if (call <= BlockingCalls && !Release(call, wait: true))
            {
                throw new TimeoutException($"fsync {call} was never released");
            }

            if (call == FailCall)
            {
                throw new IOException($"probe failure of fsync {call}");
            }
        }

        public Task WaitEnteredAsync(int call) => Entered(call).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Release(int call) => Release(call, wait: false);

        private bool Release(int call, bool wait)
        {
            SemaphoreSlim release;
            lock (_gate)
            {
                if (!_releases.TryGetValue(call, out release!))
                {
                    release = _releases[call] = new SemaphoreSlim(0);
                }
            }

            if (wait)
            {
                return release.Wait(TimeSpan.FromSeconds(10));
            }

            release.Release();
            return true;
        }

        private TaskCompletionSource Entered(int call)
        {
            lock (_gate)
            {
                if (!_entered.TryGetValue(call, out var entered))
                {
                    entered = _entered[call] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return entered;
            }
        }
    }
}
