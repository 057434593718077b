using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Mooring.Text;

namespace Mooring.Hosting.Http;

/// <summary>
/// Reads an HTTP/1.1 request line and header block (RFC 9112). Strict, because the bytes come from a socket and are not
/// trusted: CRLF line ends only, token characters in the method and header names, no control characters, no folded
/// lines, one Content-Length, and never Content-Length beside Transfer-Encoding (the request-smuggling pair).
/// </summary>
/// <remarks>The limits are Kestrel's defaults, which the host used before it had its own server: 8 KiB for the request
/// line, 32 KiB and 100 fields for the whole head.</remarks>
internal static class HttpHeadParser
{
    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxHeadBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    // RFC 9110 5.6.2: tchar.
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Parses the head at the start of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes received so far for this request.</param>
    /// <param name="paths">Recently seen paths, so a repeated path costs no string.</param>
    /// <param name="head">The head, when the result is <see cref="HttpParseStatus.Complete"/>.</param>
    /// <param name="refusal">The answer to send, when the result is <see cref="HttpParseStatus.Invalid"/>.</param>
    /// <returns>Whether the head is complete, needs more bytes, or is refused.</returns>
    public static HttpParseStatus TryParse(ReadOnlySpan<byte> data, AsciiStringCache paths, out HttpRequestHead head, out HttpRefusal refusal)
    {
        head = default;
        refusal = default;
        var end = data.IndexOf("\r\n\r\n"u8);
        var lineEnd = data.IndexOf((byte)'\n');
        if (lineEnd < 0 ? data.Length > MaxRequestLineBytes : lineEnd > MaxRequestLineBytes)
        {
            refusal = new(414, $"the request line is longer than {MaxRequestLineBytes} bytes");
            return HttpParseStatus.Invalid;
        }

        if (end < 0)
        {
            if (data.Length > MaxHeadBytes)
            {
                refusal = new(431, $"the request headers are larger than {MaxHeadBytes} bytes");
                return HttpParseStatus.Invalid;
            }

            // A bare LF can be refused before the rest arrives; a CR or LF alone can be the start of the end.
            return data[..Math.Max(0, data.Length - 3)].IndexOf((byte)'\n') is var lf and >= 0 && (lf == 0 || data[lf - 1] != '\r')
                ? Refuse(out refusal, "a line ends with LF alone; HTTP needs CRLF")
                : HttpParseStatus.Incomplete;
        }

        if (end + 4 > MaxHeadBytes)
        {
            refusal = new(431, $"the request headers are larger than {MaxHeadBytes} bytes");
            return HttpParseStatus.Invalid;
        }

        var block = data[..(end + 2)]; // every line with its CRLF
        var requestLine = NextLine(ref block, out var bareLf);
        if (bareLf)
        {
            return Refuse(out refusal, "a line ends with LF alone; HTTP needs CRLF");
        }

        if (!TryParseRequestLine(requestLine, paths, out var method, out var path, out var minorVersion, out refusal))
        {
            return HttpParseStatus.Invalid;
        }

        long? contentLength = null;
        var chunked = false;
        var sawTransferEncoding = false;
        var sawHost = false;
        var close = false;
        var keepAlive = false;
        var expectContinue = false;
        var count = 0;
        while (!block.IsEmpty)
        {
            var line = NextLine(ref block, out bareLf);
            if (bareLf)
            {
                return Refuse(out refusal, "a line ends with LF alone; HTTP needs CRLF");
            }

            if (++count > MaxHeaderCount)
            {
                refusal = new(431, $"the request has more than {MaxHeaderCount} header fields");
                return HttpParseStatus.Invalid;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenBytes) >= 0)
            {
                return Refuse(out refusal, line.Length > 0 && line[0] is (byte)' ' or (byte)'\t'
                    ? "folded header lines are not accepted"
                    : $"malformed header line '{Shown(line)}'");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (ContainsControl(value))
            {
                return Refuse(out refusal, $"header '{Shown(name)}' holds a control character");
            }

            if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                {
                    return Refuse(out refusal, $"unusable Content-Length '{Shown(value)}'");
                }

                if (contentLength is { } earlier && earlier != length)
                {
                    return Refuse(out refusal, "two different Content-Length headers");
                }

                contentLength = length;
            }
            else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                if (sawTransferEncoding || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    refusal = new(501, $"Transfer-Encoding '{Shown(value)}' is not supported: send Content-Length or chunked alone");
                    return HttpParseStatus.Invalid;
                }

                sawTransferEncoding = chunked = true;
            }
            else if (name.Length == 10 && Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                foreach (var range in value.Split((byte)','))
                {
                    var option = value[range].Trim(" \t"u8);
                    close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                    keepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
                }
            }
            else if (name.Length == 6 && Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                expectContinue = Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            }
            else if (name.Length == 4 && Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                if (sawHost)
                {
                    return Refuse(out refusal, "two Host headers");
                }

                sawHost = true;
            }
        }

        if (chunked && contentLength is not null)
        {
            return Refuse(out refusal, "Content-Length and Transfer-Encoding together are not accepted");
        }

        if (minorVersion == 1 && !sawHost)
        {
            return Refuse(out refusal, "an HTTP/1.1 request needs a Host header");
        }

        head = new HttpRequestHead
        {
            Method = method,
            Path = path,
            ContentLength = contentLength,
            Chunked = chunked,
            KeepAlive = !close && (minorVersion == 1 || keepAlive),
            ExpectContinue = expectContinue,
            Length = end + 4,
        };
        return HttpParseStatus.Complete;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, AsciiStringCache paths, out string method, out string path, out int minorVersion, out HttpRefusal refusal)
    {
        method = path = "";
        minorVersion = 0;
        refusal = default;
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || line[..firstSpace].IndexOfAnyExcept(TokenBytes) >= 0)
        {
            return RefuseLine(out refusal, $"malformed request line '{Shown(line)}'");
        }

        var version = line[(lastSpace + 1)..];
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != '.' || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            return RefuseLine(out refusal, $"malformed request line '{Shown(line)}'");
        }

        if (version[5] != '1' || version[7] is not ((byte)'0' or (byte)'1'))
        {
            refusal = new(505, $"HTTP version '{Shown(version)}' is not supported; use HTTP/1.1");
            return false;
        }

        var target = line[(firstSpace + 1)..lastSpace];
        if (target.IsEmpty || target[0] != '/' || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return RefuseLine(out refusal, $"the request target '{Shown(target)}' is not a path");
        }

        var query = target.IndexOf((byte)'?');
        var rawPath = query < 0 ? target : target[..query];
        if (rawPath.IndexOf((byte)'%') < 0)
        {
            path = paths.Get(rawPath);
        }
        else if (PercentDecode(rawPath) is { } decoded)
        {
            path = decoded;
        }
        else
        {
            return RefuseLine(out refusal, $"the path '{Shown(rawPath)}' has a bad percent escape");
        }

        method = MethodName(line[..firstSpace]);
        minorVersion = version[7] - '0';
        return true;
    }

    // Percent escapes decoded as UTF-8, except an escaped '/', which stays escaped so that it cannot split a path
    // segment (what Kestrel does). Null when an escape is malformed, the result is not UTF-8 or holds a control.
    private static string? PercentDecode(ReadOnlySpan<byte> raw)
    {
        var bytes = new byte[raw.Length];
        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                bytes[written++] = raw[i];
                continue;
            }

            if (i + 2 >= raw.Length || !byte.TryParse(raw.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
            {
                return null;
            }

            if (value == '/')
            {
                raw.Slice(i, 3).CopyTo(bytes.AsSpan(written));
                written += 3;
            }
            else
            {
                bytes[written++] = value;
            }

            i += 2;
        }

        var decoded = bytes.AsSpan(0, written);
        if (ContainsControl(decoded) || !System.Text.Unicode.Utf8.IsValid(decoded))
        {
            return null;
        }

        return Encoding.UTF8.GetString(decoded);
    }

    private static string MethodName(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ => Encoding.ASCII.GetString(method),
    };

    // The next line of the block without its line end; bareLf when it ended in LF alone.
    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> block, out bool bareLf)
    {
        var lf = block.IndexOf((byte)'\n');
        var line = block[..lf];
        block = block[(lf + 1)..];
        bareLf = line.IsEmpty || line[^1] != '\r';
        return bareLf ? line : line[..^1];
    }

    /// <summary>RFC 9110 5.5: a field value (and a chunk extension) holds visible characters, obs-text, SP and HTAB;
    /// CR, LF, NUL, DEL and the other controls are refused.</summary>
    /// <param name="value">The bytes to check.</param>
    /// <returns>Whether a refused byte is present.</returns>
    internal static bool ContainsControl(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != '\t') || b == 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    private static bool RefuseLine(out HttpRefusal refusal, string message)
    {
        refusal = new(400, message);
        return false;
    }

    private static HttpParseStatus Refuse(out HttpRefusal refusal, string message)
    {
        refusal = new(400, message);
        return HttpParseStatus.Invalid;
    }

    // At most 64 characters of what was received, escaped: it goes into an answer and possibly a log.
    private static string Shown(ReadOnlySpan<byte> bytes) => UntrustedText.Escape(Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 64)]), 64);
}
