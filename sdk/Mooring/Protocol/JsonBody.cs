using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>
/// Writes the JSON bodies the plugin sends (its VolumeDriver answers and the management socket's) into a buffer reused
/// per thread, so an answer costs one array: its body. It is the one owner of how those bodies escape text.
/// </summary>
internal static class JsonBody
{
    // A buffer that grew past this (a List of thousands of volumes) is not kept for the next answer.
    private const int RetainedBufferBytes = 64 * 1024;

    // Written only inside one synchronous Write call and taken out of the slot while in use, so neither an await nor a
    // re-entrant call (a Status dictionary that answers through the protocol) can share it.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The encoder of every body: the relaxed one keeps <c>'</c>, <c>&lt;</c> and non-ASCII letters readable
    /// in names and <c>Err</c> messages (the default writes <c>\u0027</c>); the bodies are never embedded in HTML.
    /// Control characters and quotes are still escaped.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes one body.</summary>
    /// <typeparam name="TState">What the body is written from.</typeparam>
    /// <param name="state">What the body is written from.</param>
    /// <param name="write">Writes the body; it must not keep the writer.</param>
    /// <returns>The body's bytes.</returns>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder });
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
