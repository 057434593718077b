using Microsoft.Build.Framework;
using Mooring.Build.Push;
using Mooring.Oci.Plugins;

namespace Mooring.Build.Tasks;

/// <summary>
/// Writes the plugin directory as one deterministic tar (<c>config.json</c> + <c>rootfs/</c>): the build context of
/// <c>docker plugin create</c>, for machines the registry cannot reach. Skipped when the plugin has not changed. The tar is
/// Mooring.Oci's <see cref="PluginPackage.CreateArchiveAsync"/>.
/// </summary>
public sealed class PluginPack : MooringTask
{
    /// <summary>The plugin directory (PluginDirectory).</summary>
    [Required]
    public string PluginDirectory { get; set; } = "";

    /// <summary>The tar file to write (PluginPackOutput).</summary>
    [Required]
    public string OutputPath { get; set; } = "";

    /// <summary>The plugin name used in the printed <c>docker plugin create</c> command.</summary>
    public string? PluginName { get; set; }

    /// <summary>SOURCE_DATE_EPOCH: seconds since 1970 written into every tar entry; empty for 0.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The <c>sha256:</c> digest of the tar.</summary>
    [Output]
    public string Digest { get; private set; } = "";

    private protected override string Describe() => "Writing the plugin tar";

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var timestamp = PushSettings.Timestamp(SourceDateEpoch);
        var output = Path.GetFullPath(OutputPath);
        var stamp = output + ".fingerprint";
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var fingerprint = File.Exists(Path.Combine(PluginDirectory, PluginPackage.ConfigFileName))
            && Directory.Exists(Path.Combine(PluginDirectory, PluginPackage.RootfsDirectoryName))
                ? PluginDirectoryFingerprint.Compute(PluginDirectory, timestamp)
                : null;

        var previous = File.Exists(stamp) ? await File.ReadAllLinesAsync(stamp, cancellationToken).ConfigureAwait(false) : [];
        if (fingerprint is not null && File.Exists(output) && previous.Length == 2 && previous[0] == fingerprint)
        {
            Digest = previous[1];
            Info($"{output} is up to date.");
        }
        else
        {
            File.Delete(stamp);
            var archive = await PluginPackage.CreateArchiveAsync(PluginDirectory, output, timestamp, cancellationToken).ConfigureAwait(false);
            Digest = archive.Digest;
            if (fingerprint is not null)
            {
                await File.WriteAllLinesAsync(stamp, [fingerprint, archive.Digest], cancellationToken).ConfigureAwait(false);
            }
        }

        var name = string.IsNullOrWhiteSpace(PluginName) ? "<name>" : PluginName.Trim();
        Result($"{Path.GetFileNameWithoutExtension(output)} -> {output} ({Digest})");
        Result($"  On the target machine: mkdir plugin && tar -xf {Path.GetFileName(output)} -C plugin && docker plugin create {name} plugin");
    }
}
