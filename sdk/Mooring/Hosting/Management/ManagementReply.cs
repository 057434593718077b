using Mooring.Hosting.Metadata;

namespace Mooring.Hosting.Management;

/// <summary>An answer on the management socket: JSON unless it is the metrics text, and the methods a 405 allows.</summary>
/// <param name="Response">The status code and body.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Allow">For a 405, the <c>Allow</c> header.</param>
internal readonly record struct ManagementReply(PluginResponse Response, string ContentType = ManagementReply.Json, string? Allow = null)
{
    public const string Json = "application/json";

    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    public static implicit operator ManagementReply(PluginResponse response) => new(response);
}
