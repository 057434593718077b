namespace Mooring.Hosting.Http;

/// <summary>How long the plugin's HTTP server waits for a client. Kestrel's defaults, which the host used before it had
/// its own server: dockerd keeps idle connections and sends each request at once, so only a stuck or hostile client
/// ever meets them.</summary>
internal sealed record HttpServerLimits
{
    /// <summary>The defaults.</summary>
    public static HttpServerLimits Default { get; } = new();

    /// <summary>An idle connection (between requests) is closed after this long.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>From a request's first byte, the whole head and body must arrive within this long.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An answer must be taken by the client within this long.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many poller threads serve the connections (<see cref="EventLoop"/>); 0 serves them with a thread
    /// per connection (<see cref="MaxConnectionThreads"/>) and the thread pool instead.</summary>
    public int EventLoopThreads { get; init; } = 2;

    /// <summary>A poller busy in one connection's event for longer than this (a driver call that has not returned, a
    /// client that does not take its answer) is replaced by another, so that the loop goes on.</summary>
    public TimeSpan PollerHoldTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>On the event loop: how many threads may be held in calls at once before the loop stops replacing its
    /// pollers. Without it: how many connections get a thread of their own (blocking calls, no thread-pool hop per
    /// request); the connections beyond run on the thread pool. dockerd keeps a few connections per plugin and opens
    /// one per concurrent call.</summary>
    public int MaxConnectionThreads { get; init; } = 64;

    /// <summary>How often deadlines are checked.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
}
