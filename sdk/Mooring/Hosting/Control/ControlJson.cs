using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.Hosting.Control;

/// <summary>Reads what the <c>ctl</c> client reads besides the management socket's answers (those are
/// Management/ManagementJson.cs, the plugin's own): error bodies and the Docker API's plugin list (ControlModels.cs).
/// The Docker API writes PascalCase; names match case-insensitively and unknown fields are skipped.</summary>
internal static class ControlJson
{
    /// <summary>Reads an error body, <c>{"Err":"…"}</c> or dockerd's <c>{"message":"…"}</c>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The error, or <see langword="null"/> for <c>null</c>.</returns>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static ErrorAnswer? ReadErrorAnswer(ReadOnlySpan<byte> body) => JsonFields.Read(body, static (ref reader) =>
    {
        var fields = new ErrorFields();
        return JsonFields.Object(ref reader, "the answer", fields, static (ref reader, name, fields) =>
        {
            if (Is(name, "Err"))
            {
                fields.Err = JsonFields.String(ref reader, name);
            }
            else if (Is(name, "message"))
            {
                fields.Message = JsonFields.String(ref reader, name);
            }
            else
            {
                reader.Skip();
            }
        }) ? new ErrorAnswer(fields.Err, fields.Message) : null;
    });

    /// <summary>Reads the Docker API's <c>GET /plugins</c>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The plugins, or <see langword="null"/> for <c>null</c>.</returns>
    /// <exception cref="JsonException">The body is not such a list.</exception>
    public static List<DockerPlugin?>? ReadDockerPlugins(ReadOnlySpan<byte> body)
        => JsonFields.Read(body, static (ref reader) => JsonFields.List(ref reader, "the answer", ReadPlugin));

    private static DockerPlugin? ReadPlugin(ref Utf8JsonReader reader)
    {
        var plugin = new PluginFields();
        return JsonFields.Object(ref reader, "plugin", plugin, static (ref reader, name, plugin) =>
        {
            if (Is(name, "Id"))
            {
                plugin.Id = JsonFields.String(ref reader, name);
            }
            else if (Is(name, "Name"))
            {
                plugin.Name = JsonFields.String(ref reader, name);
            }
            else if (Is(name, "Enabled"))
            {
                plugin.Enabled = JsonFields.Boolean(ref reader, name) ?? false;
            }
            else if (Is(name, "Config"))
            {
                plugin.Config = ReadConfig(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }) ? new DockerPlugin(plugin.Id, plugin.Name, plugin.Enabled, plugin.Config) : null;
    }

    private static DockerPluginConfig? ReadConfig(ref Utf8JsonReader reader)
    {
        var config = new ConfigFields();
        return JsonFields.Object(ref reader, "Config", config, static (ref reader, name, config) =>
        {
            if (Is(name, "Interface"))
            {
                var socket = new InterfaceFields();
                config.Interface = JsonFields.Object(ref reader, name, socket, static (ref reader, name, socket) =>
                {
                    if (Is(name, "Socket"))
                    {
                        socket.Socket = JsonFields.String(ref reader, name);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }) ? new DockerPluginInterface(socket.Socket) : null;
            }
            else if (Is(name, "Entrypoint"))
            {
                config.Entrypoint = JsonFields.List(ref reader, name, static (ref reader) => JsonFields.String(ref reader, "Entrypoint"));
            }
            else
            {
                reader.Skip();
            }
        }) ? new DockerPluginConfig(config.Interface, config.Entrypoint) : null;
    }

    private static bool Is(string name, string field) => string.Equals(name, field, StringComparison.OrdinalIgnoreCase);

    // What the positional records are built from once their object is read.
    private sealed class ErrorFields
    {
        public string? Err { get; set; }

        public string? Message { get; set; }
    }

    private sealed class InterfaceFields
    {
        public string? Socket { get; set; }
    }

    private sealed class PluginFields
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public bool Enabled { get; set; }

        public DockerPluginConfig? Config { get; set; }
    }

    private sealed class ConfigFields
    {
        public DockerPluginInterface? Interface { get; set; }

        public List<string?>? Entrypoint { get; set; }
    }
}
