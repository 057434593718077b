using Mooring.Hosting;
using Mooring.Logging;
using Mooring.TestFixtures;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

[CollectionDefinition(nameof(ConsoleOutputTests), DisableParallelization = true)]
public sealed class ConsoleCollection
{
}

/// <summary>Commands that write to the process's stdout and stderr; run alone because they redirect them.</summary>
[Collection(nameof(ConsoleOutputTests))]
public sealed class ConsoleOutputTests
{
    [Fact]
    public async Task Print_config_writes_the_manifest_to_stdout_and_exits_0_without_binding()
    {
        var (code, stdout, stderr) = await RunAsync("--print-config", "--socket", "/nonexistent/dir/p.sock");
        Assert.Equal(0, code);
        Assert.Equal(TestDriver.ManifestJson + Environment.NewLine, stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var (code, stdout, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("--socket PATH", stdout);
        Assert.Contains("--print-config", stdout);
    }

    [Fact]
    public async Task A_bad_command_line_is_explained_on_stderr()
    {
        var (code, stdout, stderr) = await RunAsync("--log-level", "loud");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("error: option '--log-level' must be one of", stderr);
    }

    [Fact]
    public async Task A_start_failure_is_one_line_on_stderr_with_exit_code_1()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        await File.WriteAllTextAsync(path, "x");
        var (code, _, stderr) = await RunAsync("--socket", path);
        Assert.Equal(1, code);
        Assert.Equal($"critical: Mooring.Hosting: The plugin could not start: socket path '{path}' exists and is not a socket; remove it or choose another path{Environment.NewLine}", stderr);
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (StandardStreams.Redirect(stdout, stderr))
        {
            var code = await VolumePluginHost.RunAsync<TestDriver>(args).WaitAsync(TimeSpan.FromSeconds(10));
            return (code, stdout.ToString(), stderr.ToString());
        }
    }
}
