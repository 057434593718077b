using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>
/// Writes the JSON bodies the plugin sends (its VolumeDriver answers and the management socket's) into a buffer reused
/// per thread (<see cref="ReusedJsonWriter{TStyle}"/>), so an answer costs one array: its body. It is the one owner
/// of how those bodies escape text.
/// </summary>
internal sealed class JsonBody : IJsonWriterStyle
{
    private JsonBody()
    {
    }

    /// <summary>The encoder of every body: the relaxed one keeps <c>'</c>, <c>&lt;</c> and non-ASCII letters readable
    /// in names and <c>Err</c> messages (the default writes <c>\u0027</c>); the bodies are never embedded in HTML.
    /// Control characters and quotes are still escaped.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Compact, with <see cref="Encoder"/>.</summary>
    public static JsonWriterOptions Options => new() { Encoder = Encoder };

    /// <summary>Writes one body.</summary>
    /// <typeparam name="TState">What the body is written from.</typeparam>
    /// <param name="state">What the body is written from.</param>
    /// <param name="write">Writes the body; it must not keep the writer.</param>
    /// <returns>The body's bytes.</returns>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        ReusedJsonWriter<JsonBody>.Write(state, write);
}
