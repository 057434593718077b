using System.Text.Json;
using System.Text.Json.Nodes;
using Mooring.Oci;
using Mooring.PluginConfiguration;

namespace Mooring.Build.Manifest;

/// <summary>
/// Reads the generator's manifest (the JSON of <c>[assembly: Mooring.PluginManifest]</c>) into the config.json model. The
/// manifest comes from a compiled assembly, so it is checked: anything malformed is <see cref="ErrorCodes.BadManifest"/>.
/// Unknown keys are dropped; a missing key keeps the model's default.
/// </summary>
internal static class PluginConfigReader
{
    private const string Rebuild = "Rebuild with a Mooring package whose generator matches Mooring.Sdk.";

    /// <summary>The model of <paramref name="manifestJson"/>; throws <see cref="OciException"/> on bad input.</summary>
    public static PluginConfigDocument Read(string manifestJson)
    {
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(manifestJson) as JsonObject
                ?? throw new OciException(ErrorCodes.BadManifest, $"The plugin manifest in the assembly is not a JSON object. {Rebuild}");
        }
        catch (JsonException ex)
        {
            throw new OciException(ErrorCodes.BadManifest, $"The plugin manifest in the assembly is not valid JSON ({ex.Message}). {Rebuild}");
        }

        try
        {
            return Read(manifest);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json refuses a string with a lone surrogate escape (\ud800) only when it is read.
            throw new OciException(ErrorCodes.BadManifest, $"The plugin manifest in the assembly has text that is not valid UTF-16 ({ex.Message}). {Rebuild}");
        }
    }

    private static PluginConfigDocument Read(JsonObject manifest)
    {
        var config = new PluginConfigDocument();
        config.Description = Str(manifest, PluginConfigKeys.Description) ?? config.Description;
        config.Documentation = Str(manifest, PluginConfigKeys.Documentation) ?? config.Documentation;
        var iface = Obj(manifest, PluginConfigKeys.Interface);
        config.InterfaceTypes = Strings(iface, PluginConfigKeys.Types) ?? config.InterfaceTypes;
        if (config.InterfaceTypes.Count == 0)
        {
            throw new OciException(ErrorCodes.BadManifest, $"The plugin manifest has no {PluginConfigKeys.Interface}.{PluginConfigKeys.Types}. {Rebuild}");
        }

        config.Socket = Str(iface, PluginConfigKeys.Socket) ?? config.Socket;
        config.ProtocolScheme = Str(iface, PluginConfigKeys.ProtocolScheme) ?? config.ProtocolScheme;
        config.Network = Str(Obj(manifest, PluginConfigKeys.Network), PluginConfigKeys.Type) ?? config.Network;
        config.PropagatedMount = Str(manifest, PluginConfigKeys.PropagatedMount) ?? config.PropagatedMount;
        config.Mounts = ReadArray(manifest, PluginConfigKeys.Mounts, ReadMount);
        var linux = Obj(manifest, PluginConfigKeys.Linux);
        config.Capabilities = Strings(linux, PluginConfigKeys.Capabilities) ?? config.Capabilities;
        config.AllowAllDevices = Bool(linux, PluginConfigKeys.AllowAllDevices) ?? config.AllowAllDevices;
        config.Devices = ReadArray(linux, PluginConfigKeys.Devices, ReadDevice);
        config.Env = ReadArray(manifest, PluginConfigKeys.Env, ReadEnv);
        config.Args = ReadArgs(Obj(manifest, PluginConfigKeys.Args));
        config.IpcHost = Bool(manifest, PluginConfigKeys.IpcHost) ?? config.IpcHost;
        config.PidHost = Bool(manifest, PluginConfigKeys.PidHost) ?? config.PidHost;
        return config;
    }

    private static PluginConfigMount ReadMount(JsonObject o)
    {
        var mount = new PluginConfigMount();
        mount.Name = Str(o, PluginConfigKeys.Name) ?? mount.Name;
        mount.Description = Str(o, PluginConfigKeys.Description) ?? mount.Description;
        mount.Source = Str(o, PluginConfigKeys.Source);
        mount.Destination = Str(o, PluginConfigKeys.Destination) ?? mount.Destination;
        mount.Type = Str(o, PluginConfigKeys.Type) ?? mount.Type;
        mount.Options = Strings(o, PluginConfigKeys.Options) ?? mount.Options;
        mount.Settable = Strings(o, PluginConfigKeys.Settable) ?? mount.Settable;
        return mount;
    }

    private static PluginConfigDevice ReadDevice(JsonObject o)
    {
        var device = new PluginConfigDevice();
        device.Name = Str(o, PluginConfigKeys.Name) ?? device.Name;
        device.Description = Str(o, PluginConfigKeys.Description) ?? device.Description;
        device.Path = Str(o, PluginConfigKeys.Path);
        device.Settable = Strings(o, PluginConfigKeys.Settable) ?? device.Settable;
        return device;
    }

    private static PluginConfigEnv ReadEnv(JsonObject o)
    {
        var variable = new PluginConfigEnv();
        variable.Name = Str(o, PluginConfigKeys.Name) ?? variable.Name;
        variable.Description = Str(o, PluginConfigKeys.Description) ?? variable.Description;
        variable.Settable = Strings(o, PluginConfigKeys.Settable) ?? variable.Settable;
        variable.Value = Str(o, PluginConfigKeys.Value);
        return variable;
    }

    private static PluginConfigArgs ReadArgs(JsonObject? o)
    {
        var args = new PluginConfigArgs();
        args.Name = Str(o, PluginConfigKeys.Name) ?? args.Name;
        args.Description = Str(o, PluginConfigKeys.Description) ?? args.Description;
        args.Settable = Strings(o, PluginConfigKeys.Settable) ?? args.Settable;
        args.Value = Strings(o, PluginConfigKeys.Value) ?? args.Value;
        return args;
    }

    private static List<T> ReadArray<T>(JsonObject? parent, string name, Func<JsonObject, T> read) => Find(parent, name) switch
    {
        null => [],
        JsonArray array => array.Select(item => item is JsonObject o ? read(o) : throw Shape(name, "an array of objects")).ToList(),
        _ => throw Shape(name, "an array of objects"),
    };

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

    private static bool? Bool(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw Shape(name, "true or false"),
    };

    private static List<string>? Strings(JsonObject? parent, string name) => Find(parent, name) switch
    {
        null => null,
        JsonArray a => a.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Shape(name, "an array of strings")).ToList(),
        _ => throw Shape(name, "an array of strings"),
    };

    private static OciException Shape(string name, string expected) =>
        new(ErrorCodes.BadManifest, $"The plugin manifest's '{name}' is not {expected}. {Rebuild}");
}
