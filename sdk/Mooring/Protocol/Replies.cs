using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mooring.Hosting.Metadata;

namespace Mooring.Protocol;

/// <summary>Builds <see cref="PluginResponse"/>s. Constant answers are serialised once.</summary>
internal static class Replies
{
    public const int Ok = 200;
    public const int BadRequest = 400;
    public const int NotFound = 404;
    public const int MethodNotAllowed = 405;
    public const int PayloadTooLarge = 413;
    public const int InternalError = 500;
    public const int ServiceUnavailable = 503;

    /// <summary><c>{}</c>: success of Create, Remove, Unmount (and Path when the volume is not mounted).</summary>
    public static PluginResponse Empty { get; } = new(Ok, "{}"u8.ToArray());

    public static PluginResponse Activate { get; } = Json(new ActivateResponse { Implements = ["VolumeDriver"] }, ProtocolJsonContext.Wire.ActivateResponse);

    public static PluginResponse LocalScope { get; } = Json(new CapabilitiesResponse { Capabilities = new() { Scope = "local" } }, ProtocolJsonContext.Wire.CapabilitiesResponse);

    public static PluginResponse GlobalScope { get; } = Json(new CapabilitiesResponse { Capabilities = new() { Scope = "global" } }, ProtocolJsonContext.Wire.CapabilitiesResponse);

    public static PluginResponse Json<T>(T value, JsonTypeInfo<T> typeInfo) => new(Ok, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static PluginResponse Error(int statusCode, string message) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse { Err = message }, ProtocolJsonContext.Wire.ErrorResponse));
}
