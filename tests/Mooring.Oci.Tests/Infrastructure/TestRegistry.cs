using System.Diagnostics;
using System.Text;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>
/// A real Debian docker-registry (distribution 2.8) on 127.0.0.1 at a free port, with its own storage directory.
/// Killed and cleaned up on dispose.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    public const string TokenService = "mooring-test-registry";
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();

    private TestRegistry(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string StorageDirectory => _dir.Combine("data");

    public int ProcessId => _process.Id;

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

    public static Task<TestRegistry> StartAnonymousAsync() => StartAsync(_ => "");

    public static Task<TestRegistry> StartHtpasswdAsync(string user, string password) => StartAsync(dir =>
    {
        var htpasswd = Process.Start(new ProcessStartInfo("htpasswd", ["-Bbn", user, password]) { RedirectStandardOutput = true })!;
        string line = htpasswd.StandardOutput.ReadToEnd();
        htpasswd.WaitForExit();
        Assert.Equal(0, htpasswd.ExitCode);
        string path = dir.Combine("htpasswd");
        File.WriteAllText(path, line);
        return $"auth:\n  htpasswd:\n    realm: mooring-test\n    path: {path}\n";
    });

    public static Task<TestRegistry> StartTokenAsync(TokenIssuer issuer) => StartAsync(dir =>
    {
        string bundle = dir.Combine("issuer.pem");
        File.WriteAllText(bundle, issuer.CertificatePem);
        return $"auth:\n  token:\n    realm: {issuer.Realm}\n    service: {TokenService}\n    issuer: {TokenIssuer.IssuerName}\n    rootcertbundle: {bundle}\n";
    });

    private static async Task<TestRegistry> StartAsync(Func<TempDirectory, string> authSection)
    {
        Exception? last = null;
        // A free port can be taken between probing and binding; try a few.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var dir = new TempDirectory("mooring-registry");
            int port = Ports.GetFree();
            string config = $"""
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {dir.Combine("data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                  secret: mooring-test-secret

                """ + authSection(dir);
            string configPath = dir.Combine("config.yml");
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
            var registry = new TestRegistry(process, dir, port);
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
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
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
                // Any HTTP answer (200 anonymous, 401 with auth) means it is serving.
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
        _dir.Dispose();
    }
}
