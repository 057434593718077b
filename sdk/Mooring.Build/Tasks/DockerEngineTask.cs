using Microsoft.Build.Framework;
using Mooring.Build.Docker;

namespace Mooring.Build.Tasks;

/// <summary>
/// A task that drives a Docker engine through its CLI (<see cref="PluginCreate"/>, <see cref="PluginUpgrade"/>): the
/// CLI and engine parameters, cancellation, and the engine check every such task starts with.
/// </summary>
public abstract class DockerEngineTask : MooringTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The docker CLI (a name on PATH or a path).</summary>
    public string DockerCli { get; set; } = "docker";

    /// <summary>The engine address; empty means the CLI's own default (DOCKER_HOST or its context).</summary>
    public string? DockerHost { get; set; }

    /// <summary>The plugin's ID in the engine.</summary>
    [Output]
    public string? PluginId { get; private protected set; }

    /// <summary>Cancelled when MSBuild cancels the build (Ctrl+C).</summary>
    private protected CancellationToken CancellationToken => _cancellation.Token;

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <summary>The CLI for <see cref="DockerCli"/> and <see cref="DockerHost"/>, after checking the engine answers.</summary>
    /// <exception cref="PluginBuildException">No engine answers (MOOR1008).</exception>
    private protected DockerCli ConnectToEngine()
    {
        var docker = new DockerCli(DockerCli, string.IsNullOrEmpty(DockerHost) ? null : DockerHost);
        DockerPlugins.RequireEngine(docker, CancellationToken);
        return docker;
    }
}
