namespace Mooring.Oci.Archives;

/// <summary>
/// Bounds on how far untrusted layers may expand when they are flattened, so that a gzip bomb or a huge layer from a
/// registry stops with <see cref="OciErrorCodes.LayerTooLarge"/> instead of filling the build machine's disk.
/// </summary>
public sealed record LayerLimits
{
    private readonly long _maxExpandedBytes = 16L << 30;
    private readonly int _maxCompressionRatio = 100;
    private readonly long _ratioGraceBytes = 16L << 20;

    /// <summary>The defaults: 16 GiB in all, a compression ratio of at most 100 beyond the first 16 MiB of each layer.</summary>
    public static LayerLimits Default { get; } = new();

    /// <summary>
    /// How many bytes the layers of one image may expand to together: the uncompressed tar streams, plus any hard link
    /// that has to be copied because the file system cannot link it. Default 16 GiB.
    /// </summary>
    public long MaxExpandedBytes
    {
        get => _maxExpandedBytes;
        init => _maxExpandedBytes = Positive(value, nameof(MaxExpandedBytes));
    }

    /// <summary>How many times larger than its compressed blob a layer may become (gzip manages about 1000 on zeros). Default 100.</summary>
    public int MaxCompressionRatio
    {
        get => _maxCompressionRatio;
        init => _maxCompressionRatio = (int)Positive(value, nameof(MaxCompressionRatio));
    }

    /// <summary>
    /// How many bytes each layer may expand to before <see cref="MaxCompressionRatio"/> applies: small layers (an empty
    /// tar alone is 10 KiB of zeros) compress far better than real content. Default 16 MiB.
    /// </summary>
    public long RatioGraceBytes
    {
        get => _ratioGraceBytes;
        init => _ratioGraceBytes = Positive(value, nameof(RatioGraceBytes));
    }

    private static long Positive(long value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "The limit must be positive.");
}
