using Microsoft.Build.Framework;
using Mooring.Build.Manifest;
using Mooring.Oci;
using Mooring.PluginConfiguration;

namespace Mooring.Build.Tasks;

/// <summary>
/// Writes the plugin's <c>config.json</c>: the manifest the source generator put in the assembly, MSBuild overrides,
/// the entrypoint and the working directory. The file is rewritten only when its content changes.
/// </summary>
public sealed class PluginConfig : MooringTask
{
    /// <summary>The compiled (IL) plugin assembly that carries <c>[assembly: Mooring.PluginManifest]</c>.</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>Where config.json goes.</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>The process arguments; the first is the binary's path in the rootfs.</summary>
    [Required]
    public string[] Entrypoint { get; set; } = [];

    /// <summary>The plugin's working directory.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Replaces the manifest's description.</summary>
    public string? Description { get; set; }

    /// <summary>Replaces the manifest's documentation URL.</summary>
    public string? Documentation { get; set; }

    /// <summary>Replaces the socket file name.</summary>
    public string? Socket { get; set; }

    /// <summary>Replaces the propagated mount.</summary>
    public string? PropagatedMount { get; set; }

    /// <summary>Replaces network.type (host, none, bridge or empty).</summary>
    public string? Network { get; set; }

    /// <summary>"true"/"false": share the host IPC namespace.</summary>
    public string? IpcHost { get; set; }

    /// <summary>"true"/"false": share the host PID namespace.</summary>
    public string? PidHost { get; set; }

    /// <summary>"true"/"false": access to every device.</summary>
    public string? AllowAllDevices { get; set; }

    /// <summary>Semicolon-separated capabilities that replace the generated list.</summary>
    public string? LinuxCapabilities { get; set; }

    /// <summary>The RuntimeIdentifier the plugin is published for; its architecture is written into config.json.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>PluginEnv items: Include = name; metadata Value, Description, Settable (true/false).</summary>
    public ITaskItem[] Env { get; set; } = [];

    /// <summary>PluginMount items: Include = destination; metadata Name, Source, Type, Options (comma-separated), Description, Settable.</summary>
    public ITaskItem[] Mounts { get; set; } = [];

    /// <summary>PluginDevice items: Include = device path; metadata Name, Description, Settable.</summary>
    public ITaskItem[] Devices { get; set; } = [];

    /// <summary>The propagated mount written (after overrides; may be empty).</summary>
    [Output]
    public string? WrittenPropagatedMount { get; private set; }

    private protected override void Run()
    {
        string? manifest;
        try
        {
            manifest = PluginManifestReader.Read(Assembly);
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            throw new OciException(ErrorCodes.BadAssembly, $"Could not read the plugin manifest from '{Assembly}': {ex.Message}");
        }

        if (manifest is null)
        {
            throw new OciException(ErrorCodes.NoDriver,
                $"No volume driver found in '{Path.GetFileName(Assembly)}': the assembly has no [assembly: Mooring.PluginManifest]. " +
                "Add a public partial class with [VolumePlugin] that implements IVolumeDriver<TOptions>, and make sure the project references the Mooring package (it carries the source generator that writes the manifest).");
        }

        var overrides = new ConfigOverrides
        {
            Entrypoint = Entrypoint,
            WorkDir = WorkingDirectory,
            Description = Empty(Description),
            Documentation = Empty(Documentation),
            Socket = Empty(Socket),
            PropagatedMount = Empty(PropagatedMount),
            Network = Empty(Network),
            IpcHost = OptionalBool(IpcHost, "PluginIpcHost"),
            PidHost = OptionalBool(PidHost, "PluginPidHost"),
            AllowAllDevices = OptionalBool(AllowAllDevices, "PluginAllowAllDevices"),
            Architecture = PluginArchitecture.FromRuntimeIdentifier(RuntimeIdentifier),
            Capabilities = Empty(LinuxCapabilities)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Env = Env.Select(item => new PluginConfigEnv
            {
                Name = item.ItemSpec,
                Description = item.GetMetadata("Description"),
                Settable = Settable(item, "PluginEnv", PluginConfigKeys.Value),
                Value = item.GetMetadata("Value"),
            }).ToList(),
            Mounts = Mounts.Select(item => new PluginConfigMount
            {
                Name = Empty(item.GetMetadata("Name")) ?? item.ItemSpec,
                Description = item.GetMetadata("Description"),
                Source = item.GetMetadata("Source"),
                Destination = item.ItemSpec,
                Type = Empty(item.GetMetadata("Type")) ?? PluginConfigDefaults.MountType,
                Options = item.GetMetadata("Options").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Settable = Settable(item, "PluginMount", PluginConfigKeys.Source),
            }).ToList(),
            Devices = Devices.Select(item => new PluginConfigDevice
            {
                Name = Empty(item.GetMetadata("Name")) ?? item.ItemSpec,
                Description = item.GetMetadata("Description"),
                Path = item.ItemSpec,
                Settable = Settable(item, "PluginDevice", PluginConfigKeys.Path),
            }).ToList(),
        };

        var config = PluginConfigBuilder.Create(manifest, overrides);
        WrittenPropagatedMount = config.PropagatedMount;
        var content = PluginConfigBuilder.Render(config);
        Info(WriteIfChanged(ConfigFile, content) ? $"Wrote {ConfigFile}." : $"{ConfigFile} is up to date.");
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string[] Settable(ITaskItem item, string itemType, string field) =>
        OptionalBool(item.GetMetadata("Settable"), $"{itemType} '{item.ItemSpec}' Settable") == true ? [field] : [];
}
