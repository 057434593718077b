namespace Mooring.Hosting.Http;

/// <summary>The parts of one request's line and headers that the plugin's HTTP server acts on.</summary>
internal readonly struct HttpRequestHead
{
    /// <summary>The method, e.g. <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The path, percent-decoded, without the query.</summary>
    public required string Path { get; init; }

    /// <summary>The declared body length; <see langword="null"/> when the body is chunked or absent.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The body is sent with <c>Transfer-Encoding: chunked</c>.</summary>
    public bool Chunked { get; init; }

    /// <summary>The client lets the connection carry another request after this one (HTTP/1.1 unless it sent
    /// <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The client waits for <c>100 Continue</c> before it sends the body.</summary>
    public bool ExpectContinue { get; init; }

    /// <summary>The bytes of the request line and headers, up to and including the empty line.</summary>
    public int Length { get; init; }
}
