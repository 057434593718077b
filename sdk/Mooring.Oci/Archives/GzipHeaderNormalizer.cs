namespace Mooring.Oci.Archives;

/// <summary>
/// Rewrites the OS byte of the gzip header (offset 9) to 255 ("unknown", what Go writes). zlib fills in the build platform
/// there, which would make the same layer hash differently on Windows and Linux.
/// </summary>
internal sealed class GzipHeaderNormalizer(Stream inner) : Stream
{
    private const int OsByteOffset = 9;
    private const byte UnknownOs = 255;
    private long _position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_position <= OsByteOffset && _position + buffer.Length > OsByteOffset)
        {
            var copy = buffer.ToArray();
            copy[OsByteOffset - _position] = UnknownOs;
            inner.Write(copy);
        }
        else
        {
            inner.Write(buffer);
        }

        _position += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position <= OsByteOffset && _position + buffer.Length > OsByteOffset)
        {
            var copy = buffer.ToArray();
            copy[OsByteOffset - _position] = UnknownOs;
            buffer = copy;
        }

        _position += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
