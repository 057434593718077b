namespace Mooring.Oci;

/// <summary>
/// Passes a blob download through to <paramref name="inner"/> and refuses it the moment it grows past the size its
/// descriptor declares, so a registry cannot fill the disk (or memory) with a blob that would only fail its digest
/// check at the end. <see cref="Complete"/> then checks that nothing was missing.
/// </summary>
/// <param name="inner">Where the blob goes.</param>
/// <param name="expectedSize">The descriptor's size.</param>
/// <param name="what">The blob, for errors: "layer sha256:… of registry/repo".</param>
internal sealed class SizeCheckedWriteStream(Stream inner, long expectedSize, string what) : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>Throws <see cref="OciErrorCodes.DigestMismatch"/> when the blob was shorter than its descriptor says.</summary>
    public void Complete()
    {
        if (_written != expectedSize)
        {
            throw Mismatch($"only {_written} bytes");
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Count(buffer.Length);
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Length);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Count(int length)
    {
        _written += length;
        if (_written > expectedSize)
        {
            throw Mismatch($"more than {expectedSize} bytes");
        }
    }

    private OciException Mismatch(string got) => new(OciErrorCodes.DigestMismatch,
        $"The registry served {got} for {what}, whose descriptor declares {expectedSize} bytes. The download is corrupt or the registry is hostile; try again, and do not use the image if it persists.");
}
