using Mooring.Oci.Streams;

namespace Mooring.Oci.Registry;

/// <summary>A read-only pass-through stream that reports how many bytes have been read so far (what HttpClient has sent).</summary>
internal sealed class ProgressReadStream(Stream inner, Action<long> onRead) : CountingReadStream(inner, ownsInner: true)
{
    protected override void OnRead(int read)
    {
        if (read > 0)
        {
            onRead(BytesRead);
        }
    }
}
