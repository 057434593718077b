namespace Mooring.Oci;

/// <summary>
/// Reads a decompressed layer and stops it as soon as it expands past the image's budget or the allowed compression
/// ratio, so a gzip bomb is refused after a bounded amount of work and disk, not after it has filled the disk.
/// </summary>
/// <param name="inner">The decompressed tar stream.</param>
/// <param name="budget">The image's budget.</param>
/// <param name="compressedLength">The size of the layer blob on disk (what the ratio is measured against).</param>
/// <param name="layer">The layer's name for errors (escaped).</param>
/// <param name="charge">True for the pass that writes files: the bytes read are charged to the budget. The pass that only
/// reads whiteouts checks against what is left without charging, so a layer is not counted twice.</param>
internal sealed class ExpansionLimitStream(Stream inner, ExpansionBudget budget, long compressedLength, string layer, bool charge) : Stream
{
    private long _expanded;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _expanded;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _expanded += read;
        if (charge)
        {
            budget.Charge(read, layer);
        }
        else if (_expanded > budget.Remaining)
        {
            throw budget.TooLarge(layer);
        }

        var limits = budget.Limits;
        if (_expanded > limits.RatioGraceBytes && (double)_expanded / Math.Max(1, compressedLength) > limits.MaxCompressionRatio)
        {
            throw budget.RatioExceeded(layer, compressedLength, _expanded);
        }

        return read;
    }
}
