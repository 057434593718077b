using Mooring.Oci.Archives;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Streams;

/// <summary>
/// A read-only, forward-only pass-through stream that counts the bytes read through it and shows each read to
/// <see cref="OnRead"/>: the one shape behind the push's progress (<see cref="ProgressReadStream"/>) and the gzip-bomb
/// guard (<see cref="ExpansionLimitStream"/>).
/// </summary>
/// <param name="inner">The stream read from.</param>
/// <param name="ownsInner">True when disposing this stream disposes <paramref name="inner"/>.</param>
internal abstract class CountingReadStream(Stream inner, bool ownsInner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    /// <summary>The bytes read so far.</summary>
    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes read so far.</summary>
    protected long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Called after every read, with <see cref="BytesRead"/> already counting it; may throw to stop the reader.</summary>
    /// <param name="read">The bytes this read returned (0 at the end of the stream).</param>
    protected abstract void OnRead(int read);

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read)
    {
        BytesRead += read;
        OnRead(read);
        return read;
    }
}
