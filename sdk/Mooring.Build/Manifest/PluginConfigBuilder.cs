using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mooring.Rules;

namespace Mooring.Build.Manifest;

/// <summary>
/// Turns the generator's manifest plus MSBuild overrides into <c>config.json</c> (docs/protocol.md §3.1): indented, keys
/// in a fixed order, only the fields Docker knows, LF line endings — the same input always gives the same bytes.
/// </summary>
internal static class PluginConfigBuilder
{
    private static readonly HashSet<string> Networks = new(StringComparer.Ordinal) { "", "host", "none", "bridge" };

    /// <summary>Builds the config.json bytes; throws <see cref="PluginBuildException"/> on bad input.</summary>
    public static byte[] Build(string manifestJson, ConfigOverrides overrides)
    {
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(manifestJson) as JsonObject
                ?? throw new PluginBuildException(ErrorCodes.BadManifest, "The plugin manifest in the assembly is not a JSON object. Rebuild with a Mooring package whose generator matches Mooring.Sdk.");
        }
        catch (JsonException ex)
        {
            throw new PluginBuildException(ErrorCodes.BadManifest, $"The plugin manifest in the assembly is not valid JSON ({ex.Message}). Rebuild with a Mooring package whose generator matches Mooring.Sdk.");
        }

        var description = overrides.Description ?? Str(manifest, "description") ?? "";
        var documentation = overrides.Documentation ?? Str(manifest, "documentation") ?? "";
        var iface = Obj(manifest, "interface");
        var types = Strings(iface, "types");
        if (types.Count == 0)
        {
            throw new PluginBuildException(ErrorCodes.BadManifest, "The plugin manifest has no interface.types. Rebuild with a Mooring package whose generator matches Mooring.Sdk.");
        }

        var socket = overrides.Socket ?? Str(iface, "socket") ?? "";
        ValidateSocket(socket);
        var protocolScheme = Str(iface, "protocolscheme") ?? "";
        var network = overrides.Network ?? Str(Obj(manifest, "network"), "type") ?? "";
        if (!Networks.Contains(network))
        {
            throw new PluginBuildException(ErrorCodes.BadOverride, $"PluginNetwork '{network}' is not a Docker plugin network type. Use host, none, bridge, or leave it empty.");
        }

        var propagatedMount = overrides.PropagatedMount ?? Str(manifest, "propagatedMount") ?? "";
        if (propagatedMount.Length > 0)
        {
            ValidatePath("PluginPropagatedMount", propagatedMount, PluginPaths.PropagatedMountProblem(propagatedMount));
        }

        ValidatePath("PluginWorkingDirectory", overrides.WorkDir, PluginPaths.AbsolutePathProblem(overrides.WorkDir));
        if (overrides.Entrypoint.Count == 0 || string.IsNullOrEmpty(overrides.Entrypoint[0]))
        {
            throw new PluginBuildException(ErrorCodes.BadOverride, "PluginEntrypoint is empty; Docker refuses to enable a plugin without an entrypoint. Remove the property to use the plugin binary.");
        }

        var linux = Obj(manifest, "linux");
        var capabilities = overrides.Capabilities ?? Strings(linux, "capabilities");
        foreach (var capability in capabilities)
        {
            if (!LinuxCapabilities.IsKnown(capability))
            {
                throw new PluginBuildException(ErrorCodes.BadOverride, $"'{capability}' is not a Linux capability name{LinuxCapabilities.Hint(capability)}");
            }
        }

        var mounts = Merge(ReadArray(manifest, "mounts", ReadMount), overrides.Mounts, m => m.Destination);
        var devices = Merge(ReadArray(linux, "devices", ReadDevice), overrides.Devices, d => d.Path ?? "");
        foreach (var variable in overrides.Env)
        {
            if (EnvNames.Problem(variable.Name) is { } problem)
            {
                throw new PluginBuildException(ErrorCodes.BadOverride, $"PluginEnv '{variable.Name}' {problem}.");
            }
        }

        var env = Merge(ReadArray(manifest, "env", ReadEnv), overrides.Env, e => e.Name);
        var args = Obj(manifest, "args");

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteString("description", description);
            writer.WriteString("documentation", documentation);
            WriteStrings(writer, "entrypoint", overrides.Entrypoint);
            writer.WriteString("workdir", overrides.WorkDir);
            writer.WriteStartObject("interface");
            WriteStrings(writer, "types", types);
            writer.WriteString("socket", socket);
            if (protocolScheme.Length > 0)
            {
                writer.WriteString("protocolscheme", protocolScheme);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("network");
            writer.WriteString("type", network);
            writer.WriteEndObject();
            writer.WriteString("propagatedMount", propagatedMount);
            writer.WriteStartArray("mounts");
            foreach (var mount in mounts)
            {
                writer.WriteStartObject();
                writer.WriteString("name", mount.Name);
                writer.WriteString("description", mount.Description);
                WriteNullable(writer, "source", mount.Source);
                writer.WriteString("destination", mount.Destination);
                writer.WriteString("type", mount.Type);
                WriteStrings(writer, "options", mount.Options);
                WriteStrings(writer, "settable", mount.Settable);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("linux");
            WriteStrings(writer, "capabilities", capabilities);
            writer.WriteBoolean("allowAllDevices", overrides.AllowAllDevices ?? Bool(linux, "allowAllDevices"));
            writer.WriteStartArray("devices");
            foreach (var device in devices)
            {
                writer.WriteStartObject();
                writer.WriteString("name", device.Name);
                writer.WriteString("description", device.Description);
                WriteNullable(writer, "path", device.Path);
                WriteStrings(writer, "settable", device.Settable);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("env");
            foreach (var variable in env)
            {
                writer.WriteStartObject();
                writer.WriteString("name", variable.Name);
                writer.WriteString("description", variable.Description);
                WriteStrings(writer, "settable", variable.Settable);
                WriteNullable(writer, "value", variable.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("args");
            writer.WriteString("name", Str(args, "name") ?? "args");
            writer.WriteString("description", Str(args, "description") ?? "");
            WriteStrings(writer, "settable", Strings(args, "settable"));
            WriteStrings(writer, "value", Strings(args, "value"));
            writer.WriteEndObject();
            writer.WriteBoolean("ipchost", overrides.IpcHost ?? Bool(manifest, "ipchost"));
            writer.WriteBoolean("pidhost", overrides.PidHost ?? Bool(manifest, "pidhost"));
            if (overrides.Architecture is { } architecture)
            {
                // The image-config names (OCI image spec): what `skopeo inspect` and registry UIs read.
                writer.WriteString("os", "linux");
                writer.WriteString("architecture", architecture);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void ValidateSocket(string socket)
    {
        if (SocketNames.Problem(socket) is { } problem)
        {
            throw new PluginBuildException(ErrorCodes.BadOverride, $"PluginSocket '{socket}' is not a socket file name: it {problem}. Use a plain file name such as 'myplugin.sock' (no '/').");
        }
    }

    private static void ValidatePath(string property, string path, string? problem)
    {
        if (problem is not null)
        {
            throw new PluginBuildException(ErrorCodes.BadOverride, $"{property} '{path}' must be an absolute path inside the plugin without '..' (e.g. /data): it {problem}.");
        }
    }

    private static List<T> Merge<T>(List<T> generated, IReadOnlyList<T> overrides, Func<T, string> key)
    {
        var result = new List<T>(generated);
        foreach (var item in overrides)
        {
            var index = result.FindIndex(existing => key(existing) == key(item));
            if (index >= 0)
            {
                result[index] = item;
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static ConfigMount ReadMount(JsonObject o) => new(Str(o, "name") ?? "", Str(o, "description") ?? "", Str(o, "source"),
        Str(o, "destination") ?? "", Str(o, "type") ?? "bind", Strings(o, "options"), Strings(o, "settable"));

    private static ConfigDevice ReadDevice(JsonObject o) => new(Str(o, "name") ?? "", Str(o, "description") ?? "", Str(o, "path"), Strings(o, "settable"));

    private static ConfigEnv ReadEnv(JsonObject o) => new(Str(o, "name") ?? "", Str(o, "description") ?? "", Strings(o, "settable"), Str(o, "value"));

    private static List<T> ReadArray<T>(JsonObject? parent, string name, Func<JsonObject, T> read)
    {
        var result = new List<T>();
        if (Find(parent, name) is JsonArray array)
        {
            foreach (var item in array)
            {
                result.Add(item is JsonObject o ? read(o) : throw Shape(name, "an array of objects"));
            }
        }

        return result;
    }

    // Docker decodes config.json case-insensitively; accept the manifest the same way.
    private static JsonNode? Find(JsonObject? parent, string name)
    {
        if (parent is null)
        {
            return null;
        }

        if (parent.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var pair in parent)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static JsonObject? Obj(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Shape(name, "an object"),
    };

    private static string? Str(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Shape(name, "a string"),
    };

    private static bool Bool(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw Shape(name, "true or false"),
    };

    private static List<string> Strings(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => [],
        JsonArray a => a.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Shape(name, "an array of strings")).ToList(),
        _ => throw Shape(name, "an array of strings"),
    };

    private static PluginBuildException Shape(string name, string expected) =>
        new(ErrorCodes.BadManifest, $"The plugin manifest's '{name}' is not {expected}. Rebuild with a Mooring package whose generator matches Mooring.Sdk.");

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
