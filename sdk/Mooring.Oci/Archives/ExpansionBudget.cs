using System.Globalization;

namespace Mooring.Oci.Archives;

/// <summary>
/// What the layers of one image may still write, shared by all of its layers (<see cref="LayerLimits.MaxExpandedBytes"/>),
/// and the errors that name the limit that was hit.
/// </summary>
internal sealed class ExpansionBudget(LayerLimits limits)
{
    public LayerLimits Limits { get; } = limits;

    /// <summary>Bytes charged so far: expanded tar streams and copied hard links.</summary>
    public long Used { get; private set; }

    public long Remaining => Limits.MaxExpandedBytes - Used;

    /// <summary>Charges bytes that reach the disk; throws <see cref="OciErrorCodes.LayerTooLarge"/> once the image is over its limit.</summary>
    public void Charge(long bytes, string layer)
    {
        Used += bytes;
        if (Used > Limits.MaxExpandedBytes)
        {
            throw TooLarge(layer);
        }
    }

    public OciException TooLarge(string layer) => new(OciErrorCodes.LayerTooLarge,
        $"Refusing layer {layer}: the image expands to more than {Bytes(Limits.MaxExpandedBytes)}, the limit for one base image "
        + $"(LayerLimits.MaxExpandedBytes). Use a smaller base image, or raise the limit if you trust this one.");

    public OciException RatioExceeded(string layer, long compressed, long expanded) => new(OciErrorCodes.LayerTooLarge,
        $"Refusing layer {layer}: its {Bytes(compressed)} blob expands to more than {Bytes(expanded)}, over {Limits.MaxCompressionRatio} times its "
        + "size (LayerLimits.MaxCompressionRatio). This looks like a decompression bomb; do not use the image as a base.");

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
