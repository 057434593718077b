using System.Text.Json;
using Mooring.Hosting.Metadata;

namespace Mooring.Protocol;

/// <summary>Builds <see cref="PluginResponse"/>s: the answers that never change, as their bytes, and the
/// <c>{"Err":…}</c> answers. The answers that change with every request are written by <see cref="VolumeAnswers"/>.</summary>
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

    /// <summary>The answer to <c>/Plugin.Activate</c>: this plugin implements the VolumeDriver protocol.</summary>
    public static PluginResponse Activate { get; } = new(Ok, """{"Implements":["VolumeDriver"]}"""u8.ToArray());

    /// <summary>The answer to <c>/VolumeDriver.Capabilities</c> of a local-scope driver.</summary>
    public static PluginResponse LocalScope { get; } = new(Ok, """{"Capabilities":{"Scope":"local"}}"""u8.ToArray());

    /// <summary>The answer to <c>/VolumeDriver.Capabilities</c> of a global-scope driver.</summary>
    public static PluginResponse GlobalScope { get; } = new(Ok, """{"Capabilities":{"Scope":"global"}}"""u8.ToArray());

    /// <summary>A 200 answer whose body <paramref name="write"/> writes.</summary>
    /// <typeparam name="TState">What the body is written from.</typeparam>
    /// <param name="state">What the body is written from.</param>
    /// <param name="write">Writes the body.</param>
    /// <returns>The answer.</returns>
    public static PluginResponse Json<TState>(TState state, Action<Utf8JsonWriter, TState> write) => new(Ok, JsonBody.Write(state, write));

    /// <summary><c>{"Err":…}</c>, the protocol's error answer (the management socket uses it too).</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">The message.</param>
    /// <returns>The answer.</returns>
    public static PluginResponse Error(int statusCode, string message) => new(statusCode, JsonBody.Write(message, static (writer, message) =>
    {
        writer.WriteStartObject();
        writer.WriteString("Err", message);
        writer.WriteEndObject();
    }));
}
