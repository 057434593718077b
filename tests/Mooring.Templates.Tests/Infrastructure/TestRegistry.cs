using System.Diagnostics;
using System.Text;

namespace Mooring.Templates.Tests.Infrastructure;

/// <summary>
/// A real docker-registry (distribution 2.8) on 127.0.0.1 at a free port, anonymous, with its own storage folder;
/// killed and deleted on dispose. (The same shape as Mooring.Oci.Tests' registry fixture, without the auth variants.)
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private TestRegistry(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string? UnavailableReason() =>
        File.Exists(Binary) ? null : $"docker-registry is not installed ({Binary}; apt-get install docker-registry)";

    public static async Task<TestRegistry> StartAsync()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // A free port can be taken between probing and binding; try a few.
            var directory = Directory.CreateTempSubdirectory("mooring-tpl-registry-").FullName;
            var port = Ports.GetFree();
            var config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(directory, "data")}
                http:
                  addr: 127.0.0.1:{port}

                """);
            var process = new Process
            {
                StartInfo = new ProcessStartInfo(Binary, ["serve", config])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                },
            };
            var registry = new TestRegistry(process, directory, port);
            process.OutputDataReceived += (_, e) => registry.Append(e.Data);
            process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(20));
                return registry;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                last = e;
                await registry.DisposeAsync();
            }
        }

        throw new InvalidOperationException("docker-registry did not start", last);
    }

    /// <summary>The tags of <paramref name="repository"/>, as the registry lists them.</summary>
    public async Task<string> GetTagsAsync(string repository)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://{Address}/v2/{repository}/tags/list");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var response = await http.GetAsync($"http://{Address}/v2/");
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"docker-registry did not answer /v2/ within {timeout}: {Log}");
    }
}
