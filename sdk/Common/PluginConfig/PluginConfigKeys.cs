namespace Mooring.PluginConfiguration;

/// <summary>
/// The JSON names of config.json (Docker's plugin config v1, docs/protocol.md §3.1). <see cref="PluginConfigWriter"/>
/// writes them and Mooring.Build's manifest reader reads them, so a name is spelled here only.
/// </summary>
/// <remarks>The settable field names of <c>docker plugin set NAME.field=…</c> are these keys too (<see cref="Source"/>,
/// <see cref="Path"/>, <see cref="Value"/>).</remarks>
internal static class PluginConfigKeys
{
    public const string Description = "description";
    public const string Documentation = "documentation";
    public const string Entrypoint = "entrypoint";
    public const string WorkDir = "workdir";
    public const string Interface = "interface";
    public const string Types = "types";
    public const string Socket = "socket";
    public const string ProtocolScheme = "protocolscheme";
    public const string Network = "network";
    public const string Type = "type";
    public const string PropagatedMount = "propagatedMount";
    public const string Mounts = "mounts";
    public const string Name = "name";
    public const string Source = "source";
    public const string Destination = "destination";
    public const string Options = "options";
    public const string Settable = "settable";
    public const string Linux = "linux";
    public const string Capabilities = "capabilities";
    public const string AllowAllDevices = "allowAllDevices";
    public const string Devices = "devices";
    public const string Path = "path";
    public const string Env = "env";
    public const string Value = "value";
    public const string Args = "args";
    public const string IpcHost = "ipchost";
    public const string PidHost = "pidhost";
    public const string OperatingSystem = "os";
    public const string Architecture = "architecture";
}
