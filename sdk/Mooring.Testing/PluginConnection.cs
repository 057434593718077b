using System.IO.Compression;
using Mooring.Hosting.Control;

namespace Mooring.Testing;

/// <summary>One HTTP/1.1 connection over a unix socket, written and parsed by hand so that the bytes on the wire are
/// exactly what the test says (HttpClient would add, reorder or refuse headers).</summary>
/// <remarks>The framing is the runtime's <see cref="UnixHttpConnection"/> (also used by <c>&lt;plugin&gt; ctl</c>); this
/// adds what only a dockerd-like client needs: gzip answers (dockerd sends <c>Accept-Encoding: gzip</c>; the runtime
/// leaves gzip out so that it adds nothing to plugin binaries).</remarks>
internal sealed class PluginConnection : IAsyncDisposable
{
    private readonly UnixHttpConnection _connection;

    private PluginConnection(UnixHttpConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Whether the server may still use this connection for another request.</summary>
    public bool Reusable => _connection.Reusable;

    public static async Task<PluginConnection> OpenAsync(string socketPath, CancellationToken cancellationToken) =>
        new(await UnixHttpConnection.OpenAsync(socketPath, UnixHttpConnection.DefaultMaxBodyBytes, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends <paramref name="request"/> and reads the response (see <see cref="UnixHttpConnection.ExchangeAsync"/>).</summary>
    public async Task<PluginHttpResponse> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var response = await _connection.ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        var body = response.Body;
        if (response.Headers.TryGetValue("Content-Encoding", out var encoding) && encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain, cancellationToken).ConfigureAwait(false);
            body = plain.ToArray();
        }

        return new PluginHttpResponse(response.StatusCode, body, response.Headers);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
