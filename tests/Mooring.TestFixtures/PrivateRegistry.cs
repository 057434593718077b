using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mooring.TestFixtures;

/// <summary>
/// A real docker-registry (distribution 2.8) on 127.0.0.1 at a free port with its own storage: anonymous, with htpasswd
/// Basic auth, or with Bearer token auth against an issuer the caller runs. Killed and deleted on dispose.
/// </summary>
public sealed class PrivateRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PrivateRegistry(Process process, string directory, int port)
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

    /// <summary>Why the registry cannot run here, or null when it can.</summary>
    public static string? UnavailableReason() =>
        File.Exists(Binary) ? null : $"docker-registry is not installed ({Binary}; apt-get install docker-registry)";

    public static Task<PrivateRegistry> StartAnonymousAsync() => StartAsync(_ => Task.FromResult(""));

    public static Task<PrivateRegistry> StartHtpasswdAsync(string user, string password) => StartAsync(async directory =>
    {
        var line = (await ProcessRunner.RunAsync("htpasswd", ["-Bbn", user, password])).EnsureSuccess().StandardOutput;
        var path = Path.Combine(directory, "htpasswd");
        await File.WriteAllTextAsync(path, line);
        return $"auth:\n  htpasswd:\n    realm: mooring-test\n    path: {path}\n";
    });

    /// <summary>Token auth: the registry sends clients to <paramref name="realm"/> and trusts tokens from
    /// <paramref name="issuer"/> signed by the certificate in <paramref name="certificatePem"/>.</summary>
    public static Task<PrivateRegistry> StartTokenAsync(string realm, string service, string issuer, string certificatePem) =>
        StartAsync(async directory =>
        {
            var bundle = Path.Combine(directory, "issuer.pem");
            await File.WriteAllTextAsync(bundle, certificatePem);
            return $"auth:\n  token:\n    realm: {realm}\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {bundle}\n";
        });

    /// <summary>A loopback port that was free a moment ago (bind to 0, read, release); nothing listens on it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<PrivateRegistry> StartAsync(Func<string, Task<string>> authSection)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("mooring-registry-").FullName;
            var port = FreePort();
            var config = $"""
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(directory, "data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                  secret: mooring-test-secret

                """ + await authSection(directory);
            var configPath = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(configPath, config);
            var process = new Process
            {
                StartInfo = new ProcessStartInfo(Binary, ["serve", configPath])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                },
            };
            var registry = new PrivateRegistry(process, directory, port);
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
            catch (Exception e)
            {
                last = e;
                await registry.DisposeAsync();
            }
        }

        throw new InvalidOperationException("docker-registry did not start", last);
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
                return; // 200 anonymous, 401 with auth: either way it serves.
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

    /// <summary>The registry's tag list for a repository (raw JSON), for asserting what a push left behind.</summary>
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
}
