using System.Buffers.Text;
using System.Text;

namespace Mooring.Hosting.Http;

/// <summary>Writes an answer's status line and headers: <c>Content-Type</c>, <c>Content-Length</c>, and <c>Allow</c> and
/// <c>Connection: close</c> when they apply. Nothing else: dockerd reads none of Kestrel's <c>Date</c> or
/// <c>Server</c>.</summary>
internal static class HttpResponseHead
{
    /// <summary>What a client that asked to be told before it sends its body is sent first.</summary>
    public static ReadOnlyMemory<byte> Continue { get; } = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    /// <summary>The longest head <see cref="Write"/> can produce for <paramref name="answer"/>.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>An upper bound in bytes.</returns>
    public static int MaxLength(in HttpAnswer answer) =>
        128 + Encoding.UTF8.GetMaxByteCount(answer.ContentType.Length) + (answer.Allow is { } allow ? Encoding.UTF8.GetMaxByteCount(allow.Length) : 0);

    /// <summary>Writes the head of <paramref name="answer"/> into <paramref name="destination"/>.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="close">Whether the connection closes after it.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> bytes.</param>
    /// <returns>The bytes written.</returns>
    public static int Write(in HttpAnswer answer, bool close, Span<byte> destination)
    {
        var status = answer.Response.StatusCode;
        var written = Append(destination, "HTTP/1.1 "u8, 0);
        Utf8Formatter.TryFormat(status, destination[written..], out var digits);
        written += digits;
        destination[written++] = (byte)' ';
        written = Append(destination, Reason(status), written);
        written = Append(destination, "\r\nContent-Type: "u8, written);
        written += Encoding.UTF8.GetBytes(answer.ContentType, destination[written..]);
        written = Append(destination, "\r\nContent-Length: "u8, written);
        Utf8Formatter.TryFormat(answer.Response.Body.Length, destination[written..], out digits);
        written += digits;
        if (answer.Allow is { } allow)
        {
            written = Append(destination, "\r\nAllow: "u8, written);
            written += Encoding.UTF8.GetBytes(allow, destination[written..]);
        }

        if (close)
        {
            written = Append(destination, "\r\nConnection: close"u8, written);
        }

        return Append(destination, "\r\n\r\n"u8, written);
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> text, int at)
    {
        text.CopyTo(destination[at..]);
        return at + text.Length;
    }

    // RFC 9110 section 15; clients read the code, so an unlisted one gets a neutral phrase.
    private static ReadOnlySpan<byte> Reason(int status) => status switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        409 => "Conflict"u8,
        413 => "Content Too Large"u8,
        414 => "URI Too Long"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        501 => "Not Implemented"u8,
        503 => "Service Unavailable"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => "Status"u8,
    };
}
