namespace Mooring.Hosting.Http;

/// <summary>Why the server refuses a request before any handler sees it: the status code and a message naming the
/// problem. The connection closes after the answer, since its framing can no longer be trusted.</summary>
/// <param name="StatusCode">400, 413, 414, 431, 501 or 505.</param>
/// <param name="Message">What was wrong, for the <c>Err</c> of the answer.</param>
internal readonly record struct HttpRefusal(int StatusCode, string Message)
{
    /// <summary>A 413 for a body over <paramref name="limit"/>, declared or chunked (the host's tests read this text).</summary>
    /// <param name="limit">The largest body accepted.</param>
    /// <returns>The refusal.</returns>
    public static HttpRefusal TooLarge(long limit) => new(413, $"request body larger than {limit} bytes");
}
