using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Hosting.Control;

/// <summary>Source-generated JSON for the <c>ctl</c> client (no reflection: it runs inside the NativeAOT plugin binary).
/// The management socket writes camelCase and the Docker API PascalCase; names match case-insensitively.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(VolumesAnswer))]
[JsonSerializable(typeof(ReconcileAnswer))]
[JsonSerializable(typeof(ForgetRequest))]
[JsonSerializable(typeof(ForgetAnswer))]
[JsonSerializable(typeof(LogLevelBody))]
[JsonSerializable(typeof(OperationsAnswer))]
[JsonSerializable(typeof(OperationRequest))]
[JsonSerializable(typeof(OperationAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(IReadOnlyList<DockerPlugin?>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
