using System.Buffers;
using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>
/// Writes one JSON document into a writer and buffer reused per thread, so a document costs one array: its bytes.
/// Each <typeparamref name="TStyle"/> (the plugin's answers, the state files) has its own writer, with its options.
/// </summary>
/// <typeparam name="TStyle">The options the documents are written with.</typeparam>
internal static class ReusedJsonWriter<TStyle>
    where TStyle : IJsonWriterStyle
{
    // A buffer that grew past this (a List of thousands of volumes) is not kept for the next document.
    private const int RetainedBufferBytes = 64 * 1024;

    // Written only inside one synchronous Write call and taken out of the slot while in use, so neither an await nor a
    // re-entrant call (a Status dictionary that answers through the protocol) can share it.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Writes one document.</summary>
    /// <typeparam name="TState">What the document is written from.</typeparam>
    /// <param name="state">What the document is written from.</param>
    /// <param name="write">Writes the document; it must not keep the writer.</param>
    /// <returns>The document's bytes.</returns>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, TStyle.Options);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= RetainedBufferBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
                t_writer = writer;
            }
        }
    }
}
