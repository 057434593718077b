using Microsoft.Build.Framework;
using Mooring.Build.Docker;
using Mooring.Oci;

namespace Mooring.Build.Tasks;

/// <summary>
/// The inner loop against a local engine: installs the pushed plugin under its alias the first time, and afterwards
/// upgrades it in place (<c>disable -f</c>, <c>upgrade</c>, <c>enable</c>). Unlike removing and re-creating the
/// plugin, an upgrade keeps the plugin's ID and its propagated mount, so volumes and their data survive every rebuild.
/// </summary>
public sealed class PluginUpgrade : DockerEngineTask
{
    /// <summary>The pushed reference to install or upgrade to (registry/repository:tag), reachable by the engine.</summary>
    [Required]
    public string Reference { get; set; } = "";

    /// <summary>The name the plugin is installed under (<c>--alias</c>): volumes are bound to it.</summary>
    [Required]
    public string Alias { get; set; } = "";

    private protected override void Run()
    {
        var alias = PluginNames.Validate(Alias);
        var reference = PluginNames.Validate(Reference);
        var docker = ConnectToEngine();

        var existing = DockerPlugins.Inspect(docker, alias, CancellationToken);
        if (existing is null)
        {
            // First run: install enables the plugin; all permissions are granted, as for a plugin one builds oneself.
            DockerPlugins.Require(
                docker.Run(["plugin", "install", "--grant-all-permissions", "--alias", alias, reference], TimeSpan.FromMinutes(10), CancellationToken),
                $"docker plugin install --alias {alias} {reference}",
                $" The engine pulls the plugin itself: {docker.EngineDisplay} must reach the registry (PluginUpgradeRegistry; loopback registries are spoken to over plain HTTP). If the plugin failed to start, its output is in the engine's log (plugin=<id>).",
                ErrorCodes.UpgradeFailed);
            existing = DockerPlugins.Inspect(docker, alias, CancellationToken)
                ?? throw new OciException(ErrorCodes.UpgradeFailed, $"docker plugin install --alias {alias} {reference} succeeded but the engine does not show '{alias}'.");
            PluginId = existing.Id;
            Log.LogMessage(MessageImportance.High, $"Installed {reference} as {alias} ({existing.Id[..12]}) in {docker.EngineDisplay}.");
            return;
        }

        PluginId = existing.Id;
        if (SameReference(existing.Reference, reference))
        {
            Log.LogMessage(MessageImportance.High, $"Plugin {alias} ({existing.Id[..12]}) already runs {reference}.");
            EnsureEnabled(docker, alias);
            return;
        }

        // docker plugin upgrade refuses an enabled plugin, and disable refuses one that has volumes unless forced.
        // Containers using its volumes lose them until it is enabled again: stop them first (the README says so).
        DockerPlugins.Require(docker.Run(["plugin", "disable", "-f", alias], TimeSpan.FromMinutes(1), CancellationToken), $"docker plugin disable -f {alias}");

        // --skip-remote-check: the CLI would otherwise ask for confirmation because the tag changed, and there is no
        // one to answer.
        var upgrade = docker.Run(["plugin", "upgrade", "--grant-all-permissions", "--skip-remote-check", alias, reference], TimeSpan.FromMinutes(10), CancellationToken);
        if (!upgrade.Succeeded)
        {
            // Leave the engine as it was: the previous version, enabled, with its volumes.
            var restored = docker.Run(["plugin", "enable", alias], TimeSpan.FromMinutes(2), CancellationToken);
            throw new OciException(ErrorCodes.UpgradeFailed,
                $"docker plugin upgrade {alias} {reference} failed: {upgrade.Message}. "
                + (restored.Succeeded ? $"The previous version ({existing.Reference}) is enabled again. " : $"Enabling the previous version failed as well: {restored.Message}. ")
                + $"{docker.EngineDisplay} must reach the registry (PluginUpgradeRegistry). A plugin made by PluginCreate (docker plugin create) has no registry to upgrade from: "
                + $"install under another PluginUpgradeAlias, or remove '{alias}' (which deletes its volumes' data) and run PluginUpgrade again.");
        }

        DockerPlugins.Require(docker.Run(["plugin", "enable", alias], TimeSpan.FromMinutes(2), CancellationToken), $"docker plugin enable {alias}",
            " The new version did not start; its output is in the engine's log (plugin=<id>). Fix the code and run PluginUpgrade again.");
        Log.LogMessage(MessageImportance.High, $"Upgraded {alias} ({existing.Id[..12]}) from {existing.Reference} to {reference}; its volumes are kept.");
    }

    // The engine records the reference normalised (docker.io/library/… for Hub names); loopback and other registries
    // with a host part are recorded as given.
    private static bool SameReference(string installed, string reference) =>
        string.Equals(installed, reference, StringComparison.Ordinal)
        || installed.EndsWith("/" + reference, StringComparison.Ordinal);

    private void EnsureEnabled(DockerCli docker, string alias)
    {
        var current = DockerPlugins.Inspect(docker, alias, CancellationToken);
        if (current is { Enabled: false })
        {
            DockerPlugins.Require(docker.Run(["plugin", "enable", alias], TimeSpan.FromMinutes(2), CancellationToken), $"docker plugin enable {alias}",
                " The plugin's own output is in the engine's log (plugin=<id>).");
            Log.LogMessage(MessageImportance.High, $"Enabled plugin {alias}.");
        }
    }
}
