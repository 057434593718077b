using System.ComponentModel;
using System.Diagnostics;
using Mooring.Oci;

namespace Mooring.Build.Docker;

/// <summary>Runs the docker CLI against one engine and captures its output.</summary>
internal sealed class DockerCli(string executable, string? dockerHost)
{
    /// <summary>The engine address as the user should read it in messages.</summary>
    public string EngineDisplay => string.IsNullOrEmpty(dockerHost) ? Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } env ? env : "unix:///var/run/docker.sock" : dockerHost;

    /// <summary>Runs <c>docker args…</c>; throws <see cref="OciException"/> when the CLI cannot start.</summary>
    public DockerResult Run(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (!string.IsNullOrEmpty(dockerHost))
        {
            start.Environment["DOCKER_HOST"] = dockerHost;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("Process.Start returned null.");
        }
        catch (Win32Exception ex)
        {
            throw new OciException(ErrorCodes.NoDockerCli,
                $"The docker CLI '{executable}' could not be started ({ex.Message}). Install the docker CLI or set PluginDockerCli to its path.");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                process.WaitForExitAsync(timeoutSource.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                cancellationToken.ThrowIfCancellationRequested();
                return new DockerResult(-1, stdout.GetAwaiter().GetResult(), $"'docker {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s.");
            }

            return new DockerResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}

/// <summary>The outcome of one docker CLI run.</summary>
/// <param name="ExitCode">The exit code (-1 on timeout).</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
internal sealed record DockerResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>stderr (or stdout when stderr is empty), trimmed, for error messages.</summary>
    public string Message => (StandardError.Trim().Length > 0 ? StandardError : StandardOutput).Trim();
}
