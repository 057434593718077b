namespace Mooring.PluginConfiguration;

/// <summary>
/// The only writer of config.json and of the generator's manifest (config.json without entrypoint and workdir): every
/// key in the order Docker documents it, so the same model always gives the same text.
/// </summary>
internal static class PluginConfigWriter
{
    /// <summary>Renders <paramref name="config"/>; <see cref="JsonTextStyle.Indented"/> text ends with a line feed.</summary>
    public static string Write(PluginConfigDocument config, JsonTextStyle style)
    {
        var json = new JsonText(style).StartObject()
            .String(PluginConfigKeys.Description, config.Description)
            .String(PluginConfigKeys.Documentation, config.Documentation);
        if (config.Entrypoint is { } entrypoint)
        {
            json.Strings(PluginConfigKeys.Entrypoint, entrypoint);
        }

        if (config.WorkDir is { } workDir)
        {
            json.String(PluginConfigKeys.WorkDir, workDir);
        }

        json.StartObject(PluginConfigKeys.Interface)
            .Strings(PluginConfigKeys.Types, config.InterfaceTypes)
            .String(PluginConfigKeys.Socket, config.Socket);
        if (config.ProtocolScheme.Length > 0)
        {
            json.String(PluginConfigKeys.ProtocolScheme, config.ProtocolScheme);
        }

        json.EndObject()
            .StartObject(PluginConfigKeys.Network).String(PluginConfigKeys.Type, config.Network).EndObject()
            .String(PluginConfigKeys.PropagatedMount, config.PropagatedMount)
            .StartArray(PluginConfigKeys.Mounts);
        foreach (var mount in config.Mounts)
        {
            json.StartObject()
                .String(PluginConfigKeys.Name, mount.Name)
                .String(PluginConfigKeys.Description, mount.Description)
                .String(PluginConfigKeys.Source, mount.Source)
                .String(PluginConfigKeys.Destination, mount.Destination)
                .String(PluginConfigKeys.Type, mount.Type)
                .Strings(PluginConfigKeys.Options, mount.Options)
                .Strings(PluginConfigKeys.Settable, mount.Settable)
                .EndObject();
        }

        json.EndArray()
            .StartObject(PluginConfigKeys.Linux)
            .Strings(PluginConfigKeys.Capabilities, config.Capabilities)
            .Bool(PluginConfigKeys.AllowAllDevices, config.AllowAllDevices)
            .StartArray(PluginConfigKeys.Devices);
        foreach (var device in config.Devices)
        {
            json.StartObject()
                .String(PluginConfigKeys.Name, device.Name)
                .String(PluginConfigKeys.Description, device.Description)
                .String(PluginConfigKeys.Path, device.Path)
                .Strings(PluginConfigKeys.Settable, device.Settable)
                .EndObject();
        }

        json.EndArray().EndObject().StartArray(PluginConfigKeys.Env);
        foreach (var variable in config.Env)
        {
            json.StartObject()
                .String(PluginConfigKeys.Name, variable.Name)
                .String(PluginConfigKeys.Description, variable.Description)
                .Strings(PluginConfigKeys.Settable, variable.Settable)
                .String(PluginConfigKeys.Value, variable.Value)
                .EndObject();
        }

        json.EndArray()
            .StartObject(PluginConfigKeys.Args)
            .String(PluginConfigKeys.Name, config.Args.Name)
            .String(PluginConfigKeys.Description, config.Args.Description)
            .Strings(PluginConfigKeys.Settable, config.Args.Settable)
            .Strings(PluginConfigKeys.Value, config.Args.Value)
            .EndObject()
            .Bool(PluginConfigKeys.IpcHost, config.IpcHost)
            .Bool(PluginConfigKeys.PidHost, config.PidHost);
        if (config.Architecture is { } architecture)
        {
            json.String(PluginConfigKeys.OperatingSystem, PluginConfigDefaults.OperatingSystem)
                .String(PluginConfigKeys.Architecture, architecture);
        }

        var text = json.EndObject().ToString();

        // A text file ends with a line feed; the manifest is a C# literal, not a file.
        return style == JsonTextStyle.Indented ? text + "\n" : text;
    }
}
