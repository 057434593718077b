using Mooring.Oci;

namespace Mooring.Build.Docker;

/// <summary>A plugin as <c>docker plugin inspect</c> shows it.</summary>
/// <param name="Id">The plugin ID.</param>
/// <param name="Enabled">Whether it is enabled.</param>
/// <param name="Reference">Where it was installed from (<c>PluginReference</c>); for a created plugin, its name.</param>
internal sealed record InstalledPlugin(string Id, bool Enabled, string Reference);

/// <summary>The docker plugin commands the Plugin* tasks share: one engine check, one inspect, one failure message.</summary>
internal static class DockerPlugins
{
    /// <summary>Throws MOOR1008 unless an engine answers at the CLI's address.</summary>
    public static void RequireEngine(DockerCli docker, CancellationToken cancellationToken)
    {
        var ping = docker.Run(["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(30), cancellationToken);
        if (!ping.Succeeded || ping.StandardOutput.Trim().Length == 0)
        {
            throw new OciException(ErrorCodes.NoEngine,
                $"no Docker engine answered at {docker.EngineDisplay}: {ping.Message} Start the engine, or point DOCKER_HOST (or PluginDockerHost) at one.");
        }
    }

    /// <summary>The plugin named <paramref name="name"/>, or <see langword="null"/> when the engine has none.</summary>
    public static InstalledPlugin? Inspect(DockerCli docker, string name, CancellationToken cancellationToken)
    {
        var result = docker.Run(["plugin", "inspect", "--format", "{{.Id}} {{.Enabled}} {{.PluginReference}}", name], TimeSpan.FromMinutes(1), cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        var parts = result.StandardOutput.Trim().Split(' ', 3);
        return parts.Length >= 2 && parts[0].Length >= 12 ? new InstalledPlugin(parts[0], parts[1] == "true", parts.Length == 3 ? parts[2] : "") : null;
    }

    /// <summary>Throws MOOR1011 (or <paramref name="code"/>) with the CLI's message when <paramref name="result"/> failed.</summary>
    public static void Require(DockerResult result, string command, string hint = "", string code = ErrorCodes.DockerCommandFailed)
    {
        if (!result.Succeeded)
        {
            throw new OciException(code, $"{command} failed: {result.Message}.{hint}");
        }
    }
}
