using System.Diagnostics;
using System.Net.Sockets;
using Mooring.Testing;

namespace Mooring.TestFixtures;

/// <summary>
/// A plugin binary running as its own process, outside Docker, on a socket and data root under <see cref="Root"/>; it
/// can be SIGTERMed as dockerd does on disable, or SIGKILLed and started again over the same data root, as dockerd
/// does after a crash.
/// </summary>
public sealed class PluginProcess : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _socketName;
    private readonly ProcessOutput _output = new();
    private Process? _process;

    private PluginProcess(string binary, string socketName, string root)
    {
        _binary = binary;
        _socketName = socketName;
        Root = root;
        Directory.CreateDirectory(root);
    }

    public string Root { get; }

    public string SocketPath => Path.Combine(Root, "run", _socketName);

    public string DataRoot => Path.Combine(Root, "data");

    public DockerPluginClient Client { get; private set; } = null!;

    public string Output => _output.Text;

    public bool HasExited => _process?.HasExited ?? true;

    public int ExitCode => _process?.ExitCode ?? throw new InvalidOperationException("the plugin was never started");

    /// <summary>The names of the process's threads now (<c>/proc/PID/task/*/comm</c>), sorted.</summary>
    public IReadOnlyList<string> ThreadNames =>
        ThreadNamesOf((_process ?? throw new InvalidOperationException("the plugin was never started")).Id);

    /// <summary>The process's threads now, with how often each has been switched out so far.</summary>
    public IReadOnlyList<PluginThread> Threads =>
        ThreadsOf((_process ?? throw new InvalidOperationException("the plugin was never started")).Id);

    /// <summary>The names of a process's threads (/proc/PID/task/*/comm), sorted.</summary>
    public static IReadOnlyList<string> ThreadNamesOf(int pid)
    {
        var names = ThreadsOf(pid).Select(thread => thread.Name).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>A process's threads: ID, name (<c>comm</c>) and context switches, voluntary and not (<c>status</c>): a
    /// thread asleep in a wait that nothing ends keeps its count.</summary>
    public static IReadOnlyList<PluginThread> ThreadsOf(int pid)
    {
        var threads = new List<PluginThread>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                var switches = 0L;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                threads.Add(new PluginThread(int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture), name, switches));
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return threads;
    }

    public static async Task<PluginProcess> StartAsync(string binary, string socketName, string? root = null)
    {
        var plugin = new PluginProcess(binary, socketName, root ?? Path.Combine(Path.GetTempPath(), "mooring-rp-" + Guid.NewGuid().ToString("N")[..8]));
        await plugin.RestartAsync();
        return plugin;
    }

    /// <summary>Starts the process (again) and waits until its socket answers.</summary>
    public async Task RestartAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        var process = _output.Start(_binary, ["--socket", SocketPath, "--data-root", DataRoot]);
        _process = process;
        Client = new DockerPluginClient(SocketPath) { ShortTimeout = TimeSpan.FromSeconds(30), LongTimeout = TimeSpan.FromSeconds(60) };
        await WaitForSocketAsync(process);

        // Activate waits for the driver's start-up (reconcile) like every other request.
        var activate = await Client.ActivateAsync();
        if (!activate.IsSuccess)
        {
            throw new InvalidOperationException($"Activate failed after start: {activate}\n{Output}");
        }
    }

    /// <summary>Sends SIGTERM, as dockerd does on disable, and waits for the exit.</summary>
    /// <returns>How long the plugin took to exit.</returns>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("the plugin was never started");
        var clock = Stopwatch.StartNew();
        Posix.Kill(process.Id, Posix.SigTerm);
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return clock.Elapsed;
    }

    /// <summary>SIGKILL: no clean-up of any kind runs in the plugin.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Posix.Kill(process.Id, Posix.SigKill);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        await KillAsync();
        _process?.Dispose();
        foreach (var mount in KernelMounts.Below(Root).Reverse())
        {
            Posix.Unmount(mount);
        }

        Directory.Delete(Root, recursive: true);
    }

    private async Task WaitForSocketAsync(Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the plugin exited with code {process.ExitCode} before binding its socket\n{Output}");
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

            await Task.Delay(10);
        }

        throw new TimeoutException("the plugin did not bind its socket within 30 s\n" + Output);
    }
}
