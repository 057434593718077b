using Microsoft.Build.Framework;
using Mooring.Build.Docker;

namespace Mooring.Build.Tasks;

/// <summary>
/// A task that drives a Docker engine through its CLI (<see cref="PluginCreate"/>, <see cref="PluginUpgrade"/>): the
/// CLI and engine parameters and the engine check every such task starts with. A class rather than a helper because MSBuild
/// sets task parameters only on public properties of the task class itself.
/// </summary>
public abstract class DockerEngineTask : MooringTask
{
    /// <summary>The docker CLI (a name on PATH or a path).</summary>
    public string DockerCli { get; set; } = "docker";

    /// <summary>The engine address; empty means the CLI's own default (DOCKER_HOST or its context).</summary>
    public string? DockerHost { get; set; }

    /// <summary>The plugin's ID in the engine.</summary>
    [Output]
    public string? PluginId { get; private protected set; }

    /// <summary>The CLI for <see cref="DockerCli"/> and <see cref="DockerHost"/>, after checking the engine answers.</summary>
    /// <exception cref="Mooring.Oci.OciException">No engine answers (MOOR1008).</exception>
    private protected DockerCli ConnectToEngine()
    {
        var docker = new DockerCli(DockerCli, string.IsNullOrEmpty(DockerHost) ? null : DockerHost);
        DockerPlugins.RequireEngine(docker, CancellationToken);
        return docker;
    }
}
