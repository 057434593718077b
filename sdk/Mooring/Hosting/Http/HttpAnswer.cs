using Mooring.Hosting.Metadata;

namespace Mooring.Hosting.Http;

/// <summary>What the plugin's HTTP server sends for one request: the status code and body, the body's media type and,
/// for a 405, the <c>Allow</c> header.</summary>
/// <param name="Response">The status code and body.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Allow">For a 405, the <c>Allow</c> header.</param>
internal readonly record struct HttpAnswer(PluginResponse Response, string ContentType = HttpAnswer.Json, string? Allow = null)
{
    /// <summary>The media type of the plugin protocol (dockerd sends none and reads any).</summary>
    public const string PluginJson = "application/vnd.docker.plugins.v1.2+json";

    public const string Json = "application/json";

    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    public static implicit operator HttpAnswer(PluginResponse response) => new(response);
}
