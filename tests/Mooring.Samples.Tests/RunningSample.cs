using System.Diagnostics;
using System.Net.Sockets;
using Mooring.Testing;

namespace Mooring.Samples.Tests;

/// <summary>The published sample running as its own process, outside Docker, on a socket and data root in a temp folder.</summary>
public sealed class RunningSample : IAsyncDisposable
{
    private readonly Process _process;

    private RunningSample(string root, Process process)
    {
        Root = root;
        _process = process;
        Client = new DockerPluginClient(SocketPath);
    }

    public string Root { get; }

    public string SocketPath => Path.Combine(Root, "run", "localvolume.sock");

    public string DataRoot => Path.Combine(Root, "data");

    public DockerPluginClient Client { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<RunningSample> StartAsync(string binary)
    {
        var root = Path.Combine(Path.GetTempPath(), "mooring-lv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(Path.Combine(root, "run", "localvolume.sock"));
        start.ArgumentList.Add("--data-root");
        start.ArgumentList.Add(Path.Combine(root, "data"));
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sample = new RunningSample(root, process);
        await sample.WaitForSocketAsync();
        return sample;
    }

    /// <summary>Sends SIGTERM, as dockerd does on disable, and waits for the exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Posix.Kill(_process.Id, Posix.SigTerm);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private async Task WaitForSocketAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the sample exited with code {_process.ExitCode} before binding its socket");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
                    return;
                }
                catch (SocketException)
                {
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the sample did not bind its socket within 20 s");
    }
}
