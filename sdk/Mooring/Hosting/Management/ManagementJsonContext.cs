using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Hosting.Management;

/// <summary>Source-generated JSON of the management socket (no reflection: NativeAOT plugins stay trim-clean).
/// Input names match case-insensitively; output is camelCase and omits nulls. Errors use the plugin protocol's
/// <c>{"Err":…}</c> (Protocol/Replies.cs).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(VolumesAnswer))]
[JsonSerializable(typeof(ReconcileAnswer))]
[JsonSerializable(typeof(ForgetRequest))]
[JsonSerializable(typeof(ForgetAnswer))]
[JsonSerializable(typeof(LogLevelBody))]
[JsonSerializable(typeof(OperationsAnswer))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the socket; the relaxed encoder keeps <c>'</c> and non-ASCII names readable.</summary>
    public static ManagementJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
