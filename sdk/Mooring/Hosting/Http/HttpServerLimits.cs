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

    /// <summary>How many connections get a thread of their own (blocking calls, no thread-pool hop per request); the
    /// connections beyond run on the thread pool. dockerd keeps a few connections per plugin and opens one per
    /// concurrent call.</summary>
    public int MaxConnectionThreads { get; init; } = 64;

    /// <summary>How often deadlines are checked.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
}
