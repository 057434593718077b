using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Protocol;

/// <summary>
/// Source-generated serialisation of the answers that are models (Responses.cs): no reflection, so a NativeAOT plugin
/// stays trim-clean. Output keeps the models' PascalCase names and omits nulls. Requests are read by
/// <see cref="VolumeRequestReader"/>, and the per-request answers written by <see cref="VolumeAnswers"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ActivateResponse))]
[JsonSerializable(typeof(CapabilitiesResponse))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the wire. The relaxed encoder keeps <c>'</c>, <c>&lt;</c> and non-ASCII letters
    /// readable in <c>Err</c> messages (the default encoder writes <c>\u0027</c>); the output is never embedded in HTML.</summary>
    public static ProtocolJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
