using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Mooring.Logging;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>Runs the curl commands of docs/troubleshooting.md ("Management socket") exactly as documented, so the
/// documentation cannot drift from the socket.</summary>
public sealed partial class ManagementCurlTests
{
    [Fact]
    public async Task Every_documented_curl_command_works()
    {
        if (!File.Exists("/usr/bin/curl"))
        {
            return; // curl is installed on the CI machines (eng/install-prereqs.sh); nothing to check without it
        }

        var commands = DocumentedCommands().ToArray();
        Assert.Equal(10, commands.Length);
        var quiet = new PluginLoggerFactory(LogLevel.Information, new ConsoleLogSink(TextWriter.Null, TextWriter.Null));
        await using var f = await ManagementFixture.StartManagedAsync(configureHost: o => o.LoggerFactory = quiet); // switchable level
        await f.Client.CreateAsync("v");
        await f.Client.MountAsync("v", "a");
        await f.Client.MountAsync("v", "a");

        foreach (var command in commands)
        {
            var (status, body) = await RunAsync(command.Replace("<mount id>", "a", StringComparison.Ordinal), f.Plugin.ManagementSocketPath!);
            Assert.True(status == "200", $"{command} answered {status}: {body}");
        }

        Assert.Equal("""{"level":"debug"}""", (await f.GetAsync("/log-level")).BodyText);
        Assert.Equal(0, ManagementFixture.Json(await f.GetAsync("/volumes")).GetProperty("volumes")[0].GetProperty("totalMounts").GetInt32());
    }

    private static IEnumerable<string> DocumentedCommands()
    {
        var docs = File.ReadAllText(Path.Join(RepositoryRoot(), "docs", "troubleshooting.md"));
        var section = docs[docs.IndexOf("## Management socket", StringComparison.Ordinal)..];
        return CurlInTable().Matches(section).Select(m => m.Groups[1].Value);
    }

    private static async Task<(string Status, string Body)> RunAsync(string command, string socket)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command + " -w '\\n%{http_code}'"]) { RedirectStandardOutput = true };
        start.Environment["SOCK"] = socket;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var split = output.LastIndexOf('\n');
        return (output[(split + 1)..], output[..Math.Max(split, 0)]);
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Join(directory, "docs", "troubleshooting.md")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("docs/troubleshooting.md not found above the test binaries");
        }

        return directory;
    }

    [GeneratedRegex(@"^\| `[A-Z]+ /[^`]*` \| `(curl [^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CurlInTable();
}
