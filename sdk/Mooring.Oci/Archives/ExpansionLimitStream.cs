using Mooring.Oci.Streams;

namespace Mooring.Oci.Archives;

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
internal sealed class ExpansionLimitStream(Stream inner, ExpansionBudget budget, long compressedLength, string layer, bool charge)
    : CountingReadStream(inner, ownsInner: false)
{
    public override long Length => throw new NotSupportedException();

    protected override void OnRead(int read)
    {
        if (charge)
        {
            budget.Charge(read, layer);
        }
        else if (BytesRead > budget.Remaining)
        {
            throw budget.TooLarge(layer);
        }

        var limits = budget.Limits;
        if (BytesRead > limits.RatioGraceBytes && (double)BytesRead / Math.Max(1, compressedLength) > limits.MaxCompressionRatio)
        {
            throw budget.RatioExceeded(layer, compressedLength, BytesRead);
        }
    }
}
