using Microsoft.Build.Framework;
using Mooring.Build.Push;
using Mooring.Oci;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;

namespace Mooring.Build.Tasks;

/// <summary>
/// The tag PluginUpgrade pushes: <c>&lt;Version&gt;-dev.&lt;12 hex digits of the plugin directory's fingerprint&gt;</c>.
/// Changed code gives a new tag, so <c>docker plugin upgrade</c> sees a new reference; an unchanged plugin gives the
/// same tag, so a second run pushes nothing and upgrades nothing.
/// </summary>
public sealed class PluginUpgradeTag : MooringTask
{
    /// <summary>The plugin directory (config.json + rootfs/).</summary>
    [Required]
    public string PluginDirectory { get; set; } = "";

    /// <summary>The project Version, the readable part of the tag; characters a tag cannot hold become '-'.</summary>
    public string? Version { get; set; }

    /// <summary>SOURCE_DATE_EPOCH, which changes the pushed layer and so the tag.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The tag.</summary>
    [Output]
    public string Tag { get; private set; } = "";

    private protected override void Run()
    {
        var directory = Path.GetFullPath(PluginDirectory);
        if (!File.Exists(Path.Combine(directory, PluginPackage.ConfigFileName)))
        {
            throw new OciException(ErrorCodes.UpgradeFailed, $"'{directory}' holds no config.json. Run the PluginDirectory target first (PluginUpgrade does).");
        }

        // A bad SOURCE_DATE_EPOCH is PushSettings' MOOR2040, as it is for PluginPush.
        var fingerprint = PluginDirectoryFingerprint.Compute(directory, PushSettings.Timestamp(SourceDateEpoch));

        // At most 100 + "-dev." + 12 characters: within the 128 a tag may have.
        var version = ImageReference.ToTagPrefix(Version ?? "", 100);
        Tag = (version.Length > 0 ? version + "-dev." : "dev.") + fingerprint[..12];
    }
}
