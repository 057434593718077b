using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.Hosting.Control;

/// <summary>Reads what the <c>ctl</c> client reads besides the management socket's answers (those are
/// Management/ManagementJson.cs, the plugin's own): error bodies and the Docker API's plugin list (ControlModels.cs).
/// The Docker API writes PascalCase; names match case-insensitively and unknown fields are skipped.</summary>
internal static class ControlJson
{
    private static readonly JsonObjectFields<ErrorFields> ErrorAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Err"] = static (ref reader, name, error) => error.Err = JsonFields.String(ref reader, name),
        ["message"] = static (ref reader, name, error) => error.Message = JsonFields.String(ref reader, name),
    };

    private static readonly JsonObjectFields<InterfaceFields> InterfaceAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Socket"] = static (ref reader, name, plugInterface) => plugInterface.Socket = JsonFields.String(ref reader, name),
    };

    private static readonly JsonObjectFields<ConfigFields> ConfigAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Interface"] = static (ref reader, _, config) => config.Interface = InterfaceAnswerFields.Read(ref reader, new InterfaceFields())?.ToModel(),
        ["Entrypoint"] = static (ref reader, name, config) => config.Entrypoint = JsonFields.List(ref reader, name, static (ref element) => JsonFields.String(ref element, "Entrypoint")),
    };

    private static readonly JsonObjectFields<PluginFields> PluginAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Id"] = static (ref reader, name, plugin) => plugin.Id = JsonFields.String(ref reader, name),
        ["Name"] = static (ref reader, name, plugin) => plugin.Name = JsonFields.String(ref reader, name),
        ["Enabled"] = static (ref reader, name, plugin) => plugin.Enabled = JsonFields.Boolean(ref reader, name) ?? false,
        ["Config"] = static (ref reader, _, plugin) => plugin.Config = ConfigAnswerFields.Read(ref reader, new ConfigFields())?.ToModel(),
    };

    /// <summary>Reads an error body, <c>{"Err":"…"}</c> or dockerd's <c>{"message":"…"}</c>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The error, or <see langword="null"/> for <c>null</c>.</returns>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static ErrorAnswer? ReadErrorAnswer(ReadOnlySpan<byte> body)
        => JsonFields.Read(body, static (ref reader) => ErrorAnswerFields.Read(ref reader, new ErrorFields())?.ToModel());

    /// <summary>Reads the Docker API's <c>GET /plugins</c>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The plugins, or <see langword="null"/> for <c>null</c>.</returns>
    /// <exception cref="JsonException">The body is not such a list.</exception>
    public static List<DockerPlugin?>? ReadDockerPlugins(ReadOnlySpan<byte> body)
        => JsonFields.Read(body, static (ref reader) => JsonFields.List(ref reader, "the answer", static (ref element) => PluginAnswerFields.Read(ref element, new PluginFields())?.ToModel()));

    // What the positional records are built from once their object is read.
    private sealed class ErrorFields
    {
        public string? Err { get; set; }

        public string? Message { get; set; }

        public ErrorAnswer ToModel() => new(Err, Message);
    }

    private sealed class InterfaceFields
    {
        public string? Socket { get; set; }

        public DockerPluginInterface ToModel() => new(Socket);
    }

    private sealed class ConfigFields
    {
        public DockerPluginInterface? Interface { get; set; }

        public List<string?>? Entrypoint { get; set; }

        public DockerPluginConfig ToModel() => new(Interface, Entrypoint);
    }

    private sealed class PluginFields
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public bool Enabled { get; set; }

        public DockerPluginConfig? Config { get; set; }

        public DockerPlugin ToModel() => new(Id, Name, Enabled, Config);
    }
}
