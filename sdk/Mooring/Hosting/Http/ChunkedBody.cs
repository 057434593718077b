using System.Buffers;
using System.Globalization;

namespace Mooring.Hosting.Http;

/// <summary>Reads a <c>Transfer-Encoding: chunked</c> body (RFC 9112 section 7.1), bounded by the body limit, the
/// length of a chunk-size line and the size of the trailers: the server's request bodies (dockerd's client sends a
/// Content-Length, so that is the rare path) and the <c>ctl</c> client's answers (the Docker API streams its JSON
/// chunked). Strict either way: CRLF only, hexadecimal sizes, no control characters in extensions.</summary>
internal static class ChunkedBody
{
    /// <summary>The longest chunk-size line, extensions included.</summary>
    public const int MaxSizeLineBytes = 4096;

    /// <summary>A body larger than this many hex digits can say is refused before it is parsed.</summary>
    private const int MaxSizeDigits = 15;

    /// <summary>Reads the body from <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection, positioned after the head.</param>
    /// <param name="limit">The largest body accepted.</param>
    /// <returns>The body; or what is wrong with it; or neither when the stream ended first.</returns>
    public static async ValueTask<ChunkedResult> ReadAsync<TConnection>(TConnection connection, long limit)
        where TConnection : class, IReceiveBuffer
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
                    return ChunkedResult.Malformed("a chunk-size line is too long");
                }

                if (!await connection.ReceiveAsync().ConfigureAwait(false))
                {
                    return ChunkedResult.Ended;
                }
            }

            if (!TryParseSize(connection.Buffered[..lineLength], out var size))
            {
                return ChunkedResult.Malformed("a chunk size is not hexadecimal");
            }

            connection.Consume(lineLength + 2);
            if (size > limit - body.WrittenCount || size > Array.MaxLength - body.WrittenCount)
            {
                return ChunkedResult.TooLarge;
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
                            return ChunkedResult.Malformed("the trailers are too large");
                        }

                        if (!await connection.ReceiveAsync().ConfigureAwait(false))
                        {
                            return ChunkedResult.Ended;
                        }
                    }

                    connection.Consume(lineLength + 2);
                    trailerBytes += lineLength + 2;
                    if (lineLength == 0)
                    {
                        return new(body.WrittenSpan.ToArray(), null, false);
                    }
                }
            }

            // The chunk's data, then its CRLF.
            var remaining = (int)size;
            while (remaining > 0)
            {
                if (connection.Buffered.IsEmpty && !await connection.ReceiveAsync().ConfigureAwait(false))
                {
                    return ChunkedResult.Ended;
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
                    return ChunkedResult.Ended;
                }
            }

            if (!connection.Buffered.StartsWith("\r\n"u8))
            {
                return ChunkedResult.Malformed("a chunk is not followed by CRLF");
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
}

/// <summary>What <see cref="ChunkedBody.ReadAsync"/> read.</summary>
/// <param name="Body">The body, when it was read whole.</param>
/// <param name="Problem">What is malformed, when something is.</param>
/// <param name="IsTooLarge">Whether the body exceeds the limit.</param>
internal readonly record struct ChunkedResult(byte[]? Body, string? Problem, bool IsTooLarge)
{
    /// <summary>The stream ended before the body did.</summary>
    public static ChunkedResult Ended => default;

    /// <summary>The body exceeds the limit.</summary>
    public static ChunkedResult TooLarge => new(null, null, true);

    /// <summary>The body is malformed.</summary>
    public static ChunkedResult Malformed(string problem) => new(null, problem, false);
}
