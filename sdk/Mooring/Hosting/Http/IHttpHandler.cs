namespace Mooring.Hosting.Http;

/// <summary>What the plugin's HTTP server calls: one handler for every request on every socket.</summary>
internal interface IHttpHandler
{
    /// <summary>The largest body the server reads for a request on the given socket; a larger one gets a 413.</summary>
    /// <param name="management">The management socket rather than the plugin socket.</param>
    /// <returns>The limit in bytes.</returns>
    long MaxBodySize(bool management);

    /// <summary>Answers one request.</summary>
    /// <param name="exchange">The request.</param>
    /// <returns>The answer, or <see langword="null"/> when the client went away and nothing should be sent.</returns>
    ValueTask<HttpAnswer?> HandleAsync(HttpExchange exchange);

    /// <summary>The answer to a request the server refused before reading it (framing, size, version).</summary>
    /// <param name="refusal">The status code and the problem.</param>
    /// <param name="management">The management socket rather than the plugin socket.</param>
    /// <returns>The answer to send before the connection closes.</returns>
    HttpAnswer Refuse(HttpRefusal refusal, bool management);
}
