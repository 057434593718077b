using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mooring.Hosting.Control;

/// <summary>Source-generated JSON for what the <c>ctl</c> client reads besides the management socket's answers (those use
/// <see cref="Management.ManagementJsonContext"/>, the plugin's own): error bodies and the Docker API's plugin list. No
/// reflection: it runs inside the NativeAOT plugin binary. The Docker API writes PascalCase; names match
/// case-insensitively.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(IReadOnlyList<DockerPlugin?>))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
