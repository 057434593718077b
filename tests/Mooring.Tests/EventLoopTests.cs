using Mooring.Hosting.Http;

namespace Mooring.Tests;

/// <summary>The event loop's threads and descriptors around its stop (its serving is in UnixHttpServerLoopTests).</summary>
public sealed class EventLoopTests
{
    [Fact]
    public async Task A_loop_stopped_before_its_other_threads_start_never_starts_them()
    {
        // A server that stops between admitting its first connection and starting the loop's other threads: a poller
        // started then waited on the closed epoll number, which a loop made next in the process may reuse, and took that
        // loop's events (its connections hung; seen as an ErrorPathTests request unanswered for its whole timeout).
        var loop = new EventLoop(HttpServerLimits.Default);
        loop.Stop();
        await WaitUntilAsync(() => loop.Threads == 0); // the first poller saw the stop, and closed the descriptors

        loop.StartRest();

        Assert.Equal(0, loop.Threads);
    }

    [Fact]
    public async Task Its_first_poller_leaves_at_the_stop()
    {
        var loop = new EventLoop(HttpServerLimits.Default);
        Assert.Equal(1, loop.Threads);

        loop.Stop();

        await WaitUntilAsync(() => loop.Threads == 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the loop's threads did not leave within 10 s");
            await Task.Delay(10);
        }
    }
}
