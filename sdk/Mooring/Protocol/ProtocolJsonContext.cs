using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Protocol;

/// <summary>
/// Source-generated (de)serialisation of the protocol models: no reflection, so a NativeAOT plugin stays trim-clean.
/// Input names match case-insensitively (as Go's encoding/json does, and dockerd may send any case); output keeps the
/// models' PascalCase names and omits nulls.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(CreateRequest))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(MountRequest))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ActivateResponse))]
[JsonSerializable(typeof(CapabilitiesResponse))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the wire. The relaxed encoder keeps <c>'</c>, <c>&lt;</c> and non-ASCII letters
    /// readable in <c>Err</c> messages (the default encoder writes <c>\u0027</c>); the output is never embedded in HTML.</summary>
    public static ProtocolJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
