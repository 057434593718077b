using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Hosting.Management;

/// <summary>Source-generated JSON of the management socket (no reflection: NativeAOT plugins stay trim-clean), for the
/// plugin that answers and for the <c>ctl</c> client that reads (Hosting/Control). Input names match
/// case-insensitively; output is camelCase and omits nulls. Errors use the plugin protocol's <c>{"Err":…}</c>
/// (Protocol/Replies.cs).</summary>
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
[JsonSerializable(typeof(OperationRequest))]
[JsonSerializable(typeof(OperationAnswer))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext
{
    /// <summary>The context the plugin writes with; the relaxed encoder keeps <c>'</c>, non-ASCII names and operation
    /// results readable (never embedded in HTML).</summary>
    public static ManagementJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
