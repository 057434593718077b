using System.Diagnostics;
using System.Formats.Tar;

namespace Mooring.TestFixtures;

/// <summary>
/// A dockerd of its own: data root, exec root, socket, pid file and containerd namespaces under one temp folder,
/// vfs storage, no iptables, no bridge. Stopped by pid (SIGTERM, wait, SIGKILL); disposing also unmounts whatever the
/// daemon and its plugins left under the folder and deletes it.
/// </summary>
public sealed class PrivateDockerd : IAsyncDisposable
{
    public const string DockerdPath = "/usr/sbin/dockerd";
    public const string DockerCliPath = "/usr/bin/docker";

    private readonly string _namespace;
    private readonly bool _ownContainerd;
    private Process? _process;
    private Process? _containerd;
    private FileStream? _log;

    private PrivateDockerd(string root, bool ownContainerd)
    {
        Root = root;
        _ownContainerd = ownContainerd;
        _namespace = "mooring-" + Path.GetFileName(root).Replace('.', '-');
    }

    /// <summary>The temp folder holding everything of this daemon.</summary>
    public string Root { get; }

    public string SocketPath => Path.Combine(Root, "docker.sock");

    /// <summary>The DOCKER_HOST value for this daemon.</summary>
    public string Host => "unix://" + SocketPath;

    public string DataRoot => Path.Combine(Root, "data");

    public string LogPath => Path.Combine(Root, "dockerd.log");

    /// <summary>Why this machine cannot run a private dockerd, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "a private dockerd needs Linux";
        }

        if (!File.Exists(DockerdPath) || !File.Exists(DockerCliPath))
        {
            return $"dockerd is not installed ({DockerdPath} and {DockerCliPath} are needed; apt-get install docker.io)";
        }

        return Environment.UserName == "root" || Posix.IsRoot ? null : "a private dockerd needs root";
    }

    /// <summary>Starts a daemon in a new temp folder and waits until it answers.</summary>
    /// <param name="ownContainerd">
    /// Run containerd as a separate process that outlives dockerd, as a distribution's systemd units do. A dockerd that
    /// starts containerd itself kills it when it dies (moby sets Pdeathsig on its child), so only with this can a test
    /// <see cref="CrashAsync">kill -9 dockerd</see> while containers and plugins keep running.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PrivateDockerd> StartAsync(bool ownContainerd = false, CancellationToken cancellationToken = default)
    {
        // Short path: the unix socket path must stay under 108 bytes.
        var root = Directory.CreateTempSubdirectory("moor-d-").FullName;
        var daemon = new PrivateDockerd(root, ownContainerd);
        try
        {
            if (ownContainerd)
            {
                await daemon.LaunchContainerdAsync(cancellationToken);
            }

            await daemon.LaunchAsync(cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the daemon and starts it again with the same folders. Its own containerd, if any, keeps running, as
    /// <c>systemctl restart docker</c> leaves containerd running.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_ownContainerd)
        {
            await StopDaemonAsync();
        }
        else
        {
            await StopAsync();
        }

        await LaunchAsync(cancellationToken);
    }

    /// <summary>
    /// kill -9 of dockerd alone, as a crash would: containerd, the shims, containers and managed plugins keep running
    /// (needs <c>ownContainerd</c>). Start it again with <see cref="LaunchAgainAsync"/>.
    /// </summary>
    public async Task CrashAsync()
    {
        if (!_ownContainerd)
        {
            throw new InvalidOperationException("a crash of dockerd alone needs StartAsync(ownContainerd: true): its own containerd dies with it");
        }

        if (_process is { } process)
        {
            _process = null;
            _ = Posix.TrySignal(process.Id, Posix.SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }
    }

    /// <summary>Starts dockerd again over the same folders (after <see cref="CrashAsync"/>).</summary>
    public Task LaunchAgainAsync(CancellationToken cancellationToken = default) => LaunchAsync(cancellationToken);

    /// <summary>The containerd socket when this daemon runs its own containerd.</summary>
    public string ContainerdSocketPath => Path.Combine(Root, "ctd.sock");

    /// <summary>Runs the docker CLI (20.10, the daemon's own version) against this daemon.</summary>
    public Task<ProcessResult> DockerAsync(params string[] arguments) => DockerAsync(arguments, TimeSpan.FromMinutes(3));

    public Task<ProcessResult> DockerAsync(string[] arguments, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(DockerCliPath, arguments, Path.GetTempPath(), new Dictionary<string, string?> { ["DOCKER_HOST"] = Host, ["DOCKER_CONFIG"] = Path.Combine(Root, "cli") },
            timeout, cancellationToken);

    /// <summary>
    /// Removes the plugin <paramref name="name"/>, best effort, whatever a failed test left: <c>disable -f</c> (dockerd
    /// refuses a plain disable while the plugin has volumes) and <c>rm -f</c>. For teardown; failures are ignored.
    /// </summary>
    public async Task RemovePluginAsync(string name)
    {
        await DockerAsync("plugin", "disable", "-f", name);
        await DockerAsync("plugin", "rm", "-f", name);
    }

    /// <summary>Imports a tiny image (busybox-static with sh, cat, echo, ls, mkdir, touch, stat) as <paramref name="name"/>.</summary>
    public async Task ImportBusyboxAsync(string name, CancellationToken cancellationToken = default)
    {
        var tree = Path.Combine(Root, "busybox-tree");
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        File.Copy("/bin/busybox", Path.Combine(tree, "bin", "busybox"), overwrite: true);
        foreach (var applet in new[] { "sh", "cat", "echo", "ls", "mkdir", "touch", "stat", "sleep", "id" })
        {
            var link = Path.Combine(tree, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        var tar = Path.Combine(Root, "busybox.tar");
        await TarFile.CreateFromDirectoryAsync(tree, tar, includeBaseDirectory: false, cancellationToken);
        (await DockerAsync(["import", tar, name], TimeSpan.FromMinutes(2), cancellationToken)).EnsureSuccess();
    }

    /// <summary>The daemon's log (for assertion messages).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return text.Length > 20000 ? text[^20000..] : text;
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Mount points under <see cref="Root"/> (from /proc/self/mountinfo).</summary>
    public IReadOnlyList<string> MountsUnderRoot() => MountsUnder(Root);

    /// <summary>Mount points at or under <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> MountsUnder(string prefix) => KernelMounts.AtOrBelow(prefix);

    /// <summary>Process ids whose command line mentions <see cref="Root"/> (the daemon, its containerd, shims).</summary>
    public IReadOnlyList<int> ProcessesUsingRoot()
    {
        var result = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(Root, StringComparison.Ordinal) && !commandLine.StartsWith(DockerCliPath, StringComparison.Ordinal))
                {
                    result.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return result;
    }

    /// <summary>SIGTERM, wait up to 30 s, SIGKILL; then the same for any process still using the folder.</summary>
    public async Task StopAsync()
    {
        await StopDaemonAsync();

        // containerd (its own or dockerd's) and the shims carry the folder in their command line.
        foreach (var pid in ProcessesUsingRoot())
        {
            _ = Posix.TrySignal(pid, Posix.SigTerm);
        }

        for (var i = 0; i < 50 && ProcessesUsingRoot().Count > 0; i++)
        {
            await Task.Delay(100);
        }

        foreach (var pid in ProcessesUsingRoot())
        {
            _ = Posix.TrySignal(pid, Posix.SigKill);
        }

        _containerd?.Dispose();
        _containerd = null;
        if (_log is not null)
        {
            await _log.DisposeAsync();
            _log = null;
        }
    }

    /// <summary>SIGTERM to dockerd alone, wait up to 30 s, SIGKILL.</summary>
    private async Task StopDaemonAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                _ = Posix.TrySignal(process.Id, Posix.SigTerm);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _ = Posix.TrySignal(process.Id, Posix.SigKill);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }

            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        // vfs layers and plugin propagated mounts survive the daemon; unmount deepest first, lazily as a last resort.
        foreach (var mount in MountsUnderRoot().OrderByDescending(m => m.Length))
        {
            var result = await ProcessRunner.RunAsync("umount", ["-R", mount], timeout: TimeSpan.FromSeconds(30));
            if (!result.Succeeded)
            {
                await ProcessRunner.RunAsync("umount", ["-l", mount], timeout: TimeSpan.FromSeconds(30));
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            await ProcessRunner.RunAsync("rm", ["-rf", "--one-file-system", Root], timeout: TimeSpan.FromMinutes(1));
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataRoot);
        Directory.CreateDirectory(Path.Combine(Root, "exec"));
        Directory.CreateDirectory(Path.Combine(Root, "cli"));
        var start = new ProcessStartInfo(DockerdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--data-root", DataRoot, "--exec-root", Path.Combine(Root, "exec"), "-H", Host,
            "--pidfile", Path.Combine(Root, "docker.pid"), "--storage-driver", "vfs", "--iptables=false", "--bridge=none",
            "--containerd-namespace", _namespace, "--containerd-plugins-namespace", _namespace + "-plugins",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (_ownContainerd)
        {
            start.ArgumentList.Add("--containerd");
            start.ArgumentList.Add(ContainerdSocketPath);
        }

        _log ??= new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dockerd did not start");
        _process = process;
        _ = Copy(process.StandardOutput.BaseStream, _log);
        _ = Copy(process.StandardError.BaseStream, _log);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"dockerd exited with {process.ExitCode}:\n{ReadLog()}");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    var ping = await DockerAsync(["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(10), cancellationToken);
                    if (ping.Succeeded)
                    {
                        return;
                    }
                }
                catch (TimeoutException)
                {
                    // A daemon recovering from a crash restores containers and plugins before its API answers.
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dockerd did not answer within 120 s:\n{ReadLog()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task LaunchContainerdAsync(CancellationToken cancellationToken)
    {
        // The same settings dockerd writes for the containerd it supervises (moby libcontainerd/supervisor), under Root.
        var directory = Path.Combine(Root, "containerd");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{Path.Combine(directory, "root")}"
            state = "{Path.Combine(directory, "state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{ContainerdSocketPath}"
            [ttrpc]
              address = "{ContainerdSocketPath}.ttrpc"
            [debug]
              address = "{Path.Combine(Root, "ctd-debug.sock")}"
            """, cancellationToken);

        var start = new ProcessStartInfo("containerd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        _log ??= new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _containerd = Process.Start(start) ?? throw new InvalidOperationException("containerd did not start");
        _ = Copy(_containerd.StandardOutput.BaseStream, _log);
        _ = Copy(_containerd.StandardError.BaseStream, _log);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(ContainerdSocketPath))
        {
            if (_containerd.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with {_containerd.ExitCode}:\n{ReadLog()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"containerd did not create its socket within 60 s:\n{ReadLog()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task Copy(Stream from, FileStream to)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                lock (to)
                {
                    to.Write(buffer, 0, read);
                    to.Flush();
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
        }
    }
}
