using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Hosting.Management;

/// <summary>The body of <c>POST /operations/&lt;name&gt;</c>: <c>{"volume":"v","arguments":{"k":"v"}}</c>.</summary>
internal sealed class OperationRequest
{
    public string? Volume { get; set; }

    // Values are nullable because JSON may say "k":null; it binds as "" exactly like a -o option (VolumeProtocol.ToOptions).
    public Dictionary<string, string?>? Arguments { get; set; }
}

/// <summary>The answer of an operation: <c>{"result":{…}}</c> or <c>{"result":null}</c>.</summary>
internal sealed class OperationResponse
{
    public IReadOnlyDictionary<string, string>? Result { get; set; }
}

/// <summary>
/// Source-generated (de)serialisation of the operation bodies: no reflection, so a NativeAOT plugin stays trim-clean.
/// The management protocol is camelCase; input names match case-insensitively, like the volume driver protocol's.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(OperationRequest))]
[JsonSerializable(typeof(OperationResponse))]
internal sealed partial class OperationJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the socket; the relaxed encoder keeps results readable (never embedded in HTML).
    /// Nulls are written: an operation without a result answers <c>{"result":null}</c>.</summary>
    public static OperationJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
