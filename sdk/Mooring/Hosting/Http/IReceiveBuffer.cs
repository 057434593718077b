namespace Mooring.Hosting.Http;

/// <summary>A connection's receive buffer, as <see cref="ChunkedBody"/> reads it: the server's
/// <see cref="HttpConnection"/> and the <c>ctl</c> client's <c>Control.UnixHttpConnection</c>.</summary>
internal interface IReceiveBuffer
{
    /// <summary>The bytes received and not yet consumed.</summary>
    ReadOnlySpan<byte> Buffered { get; }

    /// <summary>Marks the first <paramref name="count"/> bytes of <see cref="Buffered"/> as read.</summary>
    void Consume(int count);

    /// <summary>Receives more bytes after those buffered (making room as needed); false at the end of the stream. The
    /// connection applies its own deadline or cancellation.</summary>
    ValueTask<bool> ReceiveAsync();
}
