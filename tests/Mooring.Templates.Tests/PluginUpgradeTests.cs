using Mooring.TestFixtures;
using Mooring.Templates.Tests.Infrastructure;

namespace Mooring.Templates.Tests;

/// <summary>
/// The Docker user's inner loop with a generated plugin: <c>dotnet publish -t:PluginUpgrade</c> against a loopback
/// registry and a private dockerd installs the plugin the first time, does nothing when nothing changed, and upgrades
/// it in place after a code change — the volume and its data survive and the new code answers.
/// </summary>
[Collection(TemplatesCollection.Name)]
public sealed class PluginUpgradeTests(TemplatesFixture fixture, ITestOutputHelper output)
{
    private const string Alias = "up-store";
    private const string Image = "mooring-busybox:latest";

    [Fact]
    public async Task PluginUpgrade_installs_then_upgrades_in_place_keeping_volumes_and_data()
    {
        Assert.Null(PrivateRegistry.UnavailableReason());
        if (PrivateDockerd.UnavailableReason() is { } reason)
        {
            output.WriteLine("Not run: " + reason);
            return;
        }

        await using var registry = await PrivateRegistry.StartAnonymousAsync();
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync("up-plugin",
            "--plugin-name", Alias, "--registry", registry.Address, "--repository", "acme/up", "--no-restore");
        Assert.True(created.Succeeded, created.Output);
        var project = Path.Combine(directory, "src", "up-plugin");

        await using var dockerd = await PrivateDockerd.StartAsync();
        async Task<ProcessResult> Docker(params string[] arguments)
        {
            var result = await dockerd.DockerAsync(arguments);
            Assert.True(result.Succeeded, result.Output + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            return result;
        }

        async Task<ProcessResult> PluginUpgrade(string workingDirectory)
        {
            var run = await DotnetCli.RunAsync(workingDirectory, ["publish", "-t:PluginUpgrade", "-p:PluginDockerCli=" + PrivateDockerd.DockerCliPath],
                new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerd.Host }, TimeSpan.FromMinutes(20));
            output.WriteLine(run.StandardOutput);
            Assert.True(run.Succeeded, run.Output + "\n--- registry log ---\n" + registry.Log + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            return run;
        }

        async Task<(string Id, string Reference)> Installed()
        {
            var inspect = await Docker("plugin", "inspect", "-f", "{{.Id}} {{.Enabled}} {{.PluginReference}}", Alias);
            var parts = inspect.StandardOutput.Trim().Split(' ');
            Assert.Equal("true", parts[1]);
            return (parts[0], parts[2]);
        }

        try
        {
            await dockerd.ImportBusyboxAsync(Image);

            // First run, from the solution folder (the test project has no plugin: its PluginUpgrade does nothing).
            var first = await PluginUpgrade(directory);
            Assert.Contains($"as {Alias}", first.StandardOutput);
            var (id, v1) = await Installed();
            Assert.Matches(@"^127\.0\.0\.1:\d+/acme/up:1\.0\.0-dev\.[0-9a-f]{12}$", v1);

            await Docker("volume", "create", "-d", Alias, "-o", "mode=0750", "keep");
            await Docker("run", "--rm", "--network", "none", "-v", "keep:/d", Image, "sh", "-c", "echo v1 data > /d/f");

            // Nothing changed: the same content tag, so no upgrade (the volume stays mounted-able throughout).
            var again = await PluginUpgrade(project);
            Assert.Contains($"Plugin {Alias} ({id[..12]}) already runs {v1}", again.StandardOutput);

            // A code change: Status gains a key.
            var driverPath = Path.Combine(project, "UpPluginDriver.cs");
            var driver = await File.ReadAllTextAsync(driverPath);
            var changed = driver.Replace("=> volume?.RawOptions;", "=> new Dictionary<string, string> { [\"generation\"] = \"2\" };", StringComparison.Ordinal);
            Assert.NotEqual(driver, changed);
            await File.WriteAllTextAsync(driverPath, changed);

            var upgraded = await PluginUpgrade(project);
            Assert.Contains($"Upgraded {Alias}", upgraded.StandardOutput);
            var (idAfter, v2) = await Installed();
            Assert.Equal(id, idAfter);
            Assert.NotEqual(v1, v2);

            var list = await Docker("volume", "ls", "-q");
            Assert.Equal("keep", list.StandardOutput.Trim());
            var read = await Docker("run", "--rm", "--network", "none", "-v", "keep:/d:ro", Image, "sh", "-c", "cat /d/f && stat -c %a /d");
            Assert.Equal("v1 data\n750", read.StandardOutput.Trim());
            var status = await Docker("volume", "inspect", "-f", "{{.Driver}} {{index .Status \"generation\"}}", "keep");
            Assert.Equal($"{Alias}:latest 2", status.StandardOutput.Trim());
        }
        finally
        {
            // Best effort, so the daemon can stop cleanly whatever failed above.
            await dockerd.DockerAsync("plugin", "disable", "-f", Alias);
            await dockerd.DockerAsync("plugin", "rm", "-f", Alias);
        }
    }
}
