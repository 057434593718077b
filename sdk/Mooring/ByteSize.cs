namespace Mooring;

/// <summary>A size in bytes, written by users as <c>512m</c> or <c>10g</c> (binary units, as docker does).</summary>
/// <param name="Bytes">The number of bytes.</param>
public readonly record struct ByteSize(long Bytes)
{
    /// <summary>Parses <c>4096</c>, <c>512k</c>, <c>512m</c>, <c>10g</c>, <c>1t</c> (case-insensitive; optional
    /// <c>b</c>/<c>ib</c> suffix).</summary>
    /// <param name="text">The text.</param>
    /// <param name="result">The size.</param>
    /// <returns>Whether the text was a valid, non-negative size that fits in 64 bits.</returns>
    public static bool TryParse(string? text, out ByteSize result) => throw new NotImplementedException();

    /// <summary>The size in the shortest exact unit, e.g. <c>512m</c>.</summary>
    public override string ToString() => throw new NotImplementedException();
}
