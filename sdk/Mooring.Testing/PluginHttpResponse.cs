using System.Text;

namespace Mooring.Testing;

/// <summary>A raw HTTP response from a plugin.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Body">The body (decompressed when the plugin used gzip, as Go's transport does).</param>
/// <param name="Headers">The response headers (names case-insensitive; repeated headers joined with <c>", "</c>).</param>
public sealed record PluginHttpResponse(int StatusCode, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}
