using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mooring.Templates.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>Out of the box, a generated solution builds with zero warnings and its tests pass.</summary>
[Collection(TemplatesCollection.Name)]
public sealed partial class GeneratedSolutionTests(TemplatesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Acme.Volumes", "acme.volumes.sock")]
    [InlineData("my-plugin", "acme-store.sock", "--plugin-name", "acme-store", "--socket", "acme-store.sock", "--propagated-mount", "/mnt/volumes",
        "--registry", "registry.example:5000", "--repository", "acme/store")]
    public async Task The_generated_solution_builds_without_warnings_its_tests_pass_and_dotnet_run_serves(string name, string socket, params string[] options)
    {
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync(name, [.. options, "--no-restore"]);
        Assert.True(created.Succeeded, created.Output);

        var build = await TemplatesFixture.BuildAsync(directory);
        Assert.True(build.Succeeded, build.Output);
        Assert.Contains(" 0 Warning(s)", build.StandardOutput);

        var test = await TemplatesFixture.TestAsync(directory, "--no-build");
        Assert.True(test.Succeeded, test.Output);
        var (passed, total) = Summary(test);
        output.WriteLine($"{name}: {passed}/{total} generated tests passed");

        // 11 conformance checks (one theory row per VolumeDriverConformance.Checks) + 1 example: a test lost from the
        // template must be noticed.
        Assert.Equal(12, total);
        Assert.Equal(total, passed);

        await AssertDotnetRunServesAsync(Path.Combine(directory, "src", name), "/tmp/" + socket);
    }

    // F5 / `dotnet run` out of the box: the launch profile points the socket and the data root at /tmp, so the plugin
    // starts without /run/docker/plugins or the propagated mount (both need root) and logs at debug.
    private async Task AssertDotnetRunServesAsync(string project, string socket)
    {
        var management = Path.ChangeExtension(socket, ".ctl.sock");
        File.Delete(socket);
        File.Delete(management);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "run", "--no-build" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k is "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(key);
        }

        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        try
        {
            var waited = Stopwatch.StartNew();
            // The management socket is served beside the plugin socket, not before it: wait for both.
            while (!UnixSockets.CanConnect(socket) || !UnixSockets.CanConnect(management))
            {
                if (run.HasExited)
                {
                    Assert.Fail($"dotnet run exited ({run.ExitCode}):\n{await stdout}\n{await stderr}");
                }

                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"no plugin socket at {socket} or management socket at {management} after {waited.Elapsed}");
                await Task.Delay(100);
            }

            // The level the launch profile asked for, as the running plugin reports it on its management socket.
            Assert.Contains("\"debug\"", await GetAsync(management, "/log-level"), StringComparison.Ordinal);
        }
        finally
        {
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
        }

        var log = await stdout;
        output.WriteLine(log);
        Assert.Contains($"Listening on {socket} (data root /tmp/", log, StringComparison.Ordinal);
        File.Delete(socket);
        File.Delete(management);
    }

    private static async Task<string> GetAsync(string socketPath, string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: plugin\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Without_tests_the_plugin_alone_builds_without_warnings()
    {
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync("Solo.Plugin", "--no-tests", "--no-restore");
        Assert.True(created.Succeeded, created.Output);

        var build = await TemplatesFixture.BuildAsync(directory);

        Assert.True(build.Succeeded, build.Output);
        Assert.Contains(" 0 Warning(s)", build.StandardOutput);
    }

    private static (int Passed, int Total) Summary(ProcessResult test)
    {
        var match = TestSummary().Match(test.StandardOutput);
        Assert.True(match.Success, "no test summary in:\n" + test.Output);
        return (int.Parse(match.Groups["passed"].Value), int.Parse(match.Groups["total"].Value));
    }

    [GeneratedRegex(@"Passed:\s+(?<passed>\d+),\s+Skipped:\s+\d+,\s+Total:\s+(?<total>\d+)")]
    private static partial Regex TestSummary();
}
