using System.Buffers;
using System.Globalization;

namespace Mooring.Hosting.Http;

/// <summary>Reads a <c>Transfer-Encoding: chunked</c> request body (RFC 9112 section 7.1), bounded by the body limit,
/// the length of a chunk-size line and the size of the trailers. dockerd's client sends a Content-Length, so this is the
/// rare path; it is strict all the same.</summary>
internal static class ChunkedBody
{
    /// <summary>The longest chunk-size line, extensions included.</summary>
    public const int MaxSizeLineBytes = 4096;

    /// <summary>A body larger than this many hex digits can say is refused before it is parsed.</summary>
    private const int MaxSizeDigits = 15;

    /// <summary>Reads the body from <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection, positioned after the head.</param>
    /// <param name="limit">The largest body accepted.</param>
    /// <returns>The body; or a refusal (malformed: 400, too large: 413); or neither when the stream ended.</returns>
    public static async ValueTask<(byte[]? Body, HttpRefusal? Refusal)> ReadAsync(HttpConnection connection, long limit)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var trailerBytes = 0;
        while (true)
        {
            // The chunk-size line.
            int lineLength;
            while ((lineLength = connection.Buffered.IndexOf("\r\n"u8)) < 0)
            {
                if (connection.Buffered.Length > MaxSizeLineBytes)
                {
                    return (null, Malformed("a chunk-size line is too long"));
                }

                if (!await connection.ReceiveAsync().ConfigureAwait(false))
                {
                    return (null, null);
                }
            }

            if (!TryParseSize(connection.Buffered[..lineLength], out var size))
            {
                return (null, Malformed("a chunk size is not hexadecimal"));
            }

            connection.Consume(lineLength + 2);
            if (size > limit - body.WrittenCount || size > Array.MaxLength - body.WrittenCount)
            {
                return (null, HttpRefusal.TooLarge(limit));
            }

            if (size == 0)
            {
                // Trailers, ignored, up to the empty line.
                while (true)
                {
                    while ((lineLength = connection.Buffered.IndexOf("\r\n"u8)) < 0)
                    {
                        if (trailerBytes + connection.Buffered.Length > HttpHeadParser.MaxHeadBytes)
                        {
                            return (null, Malformed("the trailers are too large"));
                        }

                        if (!await connection.ReceiveAsync().ConfigureAwait(false))
                        {
                            return (null, null);
                        }
                    }

                    connection.Consume(lineLength + 2);
                    trailerBytes += lineLength + 2;
                    if (lineLength == 0)
                    {
                        return (body.WrittenSpan.ToArray(), null);
                    }
                }
            }

            // The chunk's data, then its CRLF.
            var remaining = (int)size;
            while (remaining > 0)
            {
                if (connection.Buffered.IsEmpty && !await connection.ReceiveAsync().ConfigureAwait(false))
                {
                    return (null, null);
                }

                var take = Math.Min(remaining, connection.Buffered.Length);
                body.Write(connection.Buffered[..take]);
                connection.Consume(take);
                remaining -= take;
            }

            while (connection.Buffered.Length < 2)
            {
                if (!await connection.ReceiveAsync().ConfigureAwait(false))
                {
                    return (null, null);
                }
            }

            if (!connection.Buffered.StartsWith("\r\n"u8))
            {
                return (null, Malformed("a chunk is not followed by CRLF"));
            }

            connection.Consume(2);
        }
    }

    // HEXDIG+ [BWS ; extension]: the extension is skipped, but may hold no control character.
    private static bool TryParseSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        var digits = line.IndexOfAnyExcept("0123456789abcdefABCDEF"u8);
        var hex = digits < 0 ? line : line[..digits];
        if (hex.IsEmpty || hex.Length > MaxSizeDigits || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out size))
        {
            return false;
        }

        var rest = line[hex.Length..].TrimStart(" \t"u8);
        if (rest.IsEmpty)
        {
            return true;
        }

        return rest[0] == ';' && !HttpHeadParser.ContainsControl(rest);
    }

    private static HttpRefusal Malformed(string problem) => new(400, $"bad request: malformed chunked body: {problem}");
}
