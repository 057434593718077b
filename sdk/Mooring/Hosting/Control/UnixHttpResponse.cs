using System.Text;

namespace Mooring.Hosting.Control;

/// <summary>An HTTP response read by <see cref="UnixHttpConnection"/>.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Body">The body, de-chunked (never decompressed: the connection asks for no encoding).</param>
/// <param name="Headers">The headers (names case-insensitive; repeated headers joined with <c>", "</c>).</param>
internal sealed record UnixHttpResponse(int StatusCode, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Whether the status code is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
