using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mooring.Oci.Manifests;

/// <summary>The one JSON writer setting used for every blob we hash: compact, and '+' in media types written literally (as Go does).</summary>
internal static class Json
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
