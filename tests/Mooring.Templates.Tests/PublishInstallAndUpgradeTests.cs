using Mooring.Templates.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Templates.Tests;

/// <summary>
/// The user's two paths with a generated plugin, against a real docker-registry and a private dockerd:
/// <list type="number">
/// <item>release: <c>dotnet publish -t:PluginPush</c> from the solution folder, then <c>docker plugin install --alias</c>
/// and a volume used by containers;</item>
/// <item>inner loop: <c>dotnet publish -t:PluginUpgrade</c> installs the plugin under a second alias, does nothing when
/// nothing changed, and upgrades it in place after a code change — the volume and its data survive and the new code
/// answers.</item>
/// </list>
/// One test, one generated plugin, one registry and one dockerd: the upgrade's first run reuses the release's NativeAOT
/// compile, so the two paths cost two native compiles, not three.
/// </summary>
[Collection(TemplatesDockerCollection.Name)]
public sealed class PublishInstallAndUpgradeTests(TemplatesFixture fixture, ITestOutputHelper output)
{
    private const string Alias = "acme-store";
    private const string DevAlias = "acme-store-dev";
    private const string Repository = "acme/store";
    private const string Image = "mooring-busybox:latest";

    [Fact]
    public async Task A_generated_plugin_is_pushed_installed_with_an_alias_serves_containers_and_upgrades_in_place()
    {
        Assert.Null(PrivateRegistry.UnavailableReason());
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync("my-plugin",
            "--plugin-name", Alias, "--propagated-mount", "/mnt/volumes", "--registry", "registry.invalid:5000", "--repository", Repository,
            "--no-restore");
        Assert.True(created.Succeeded, created.Output);
        var project = Path.Combine(directory, "src", "my-plugin");

        await using var registry = await PrivateRegistry.StartAnonymousAsync();

        // From the solution folder, exactly as the issue did it: MSBuild runs PluginPush in every project, and the test
        // project (no plugin) must not fail the command with MSB4057. -p:PluginRegistry overrides the registry written
        // into the project.
        var push = await DotnetCli.RunAsync(directory,
            ["publish", "-t:PluginPush", "-p:PluginRegistry=" + registry.Address], timeout: TimeSpan.FromMinutes(20));
        output.WriteLine(push.StandardOutput);
        Assert.True(push.Succeeded, push.Output + "\n--- registry log ---\n" + registry.Log);
        Assert.Equal(0, push.ExitCode);
        Assert.DoesNotContain("MSB4057", push.Output, StringComparison.Ordinal);
        Assert.Contains("\"1.0.0\"", await registry.GetTagsAsync(Repository));
        var reference = $"{registry.Address}/{Repository}:1.0.0";

        if (PrivateDockerd.UnavailableReason() is { } reason)
        {
            output.WriteLine($"Pushed {reference}; not installed: {reason}");
            return;
        }

        await using var dockerd = await PrivateDockerd.StartAsync();
        async Task<ProcessResult> Docker(params string[] arguments)
        {
            var result = await dockerd.DockerAsync(arguments);
            Assert.True(result.Succeeded, result.Output + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            return result;
        }

        async Task<ProcessResult> PluginUpgrade(string workingDirectory)
        {
            var run = await DotnetCli.RunAsync(workingDirectory,
                ["publish", "-t:PluginUpgrade", "-p:PluginRegistry=" + registry.Address, "-p:PluginUpgradeAlias=" + DevAlias,
                 "-p:PluginDockerCli=" + PrivateDockerd.DockerCliPath],
                new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerd.Host }, TimeSpan.FromMinutes(20));
            output.WriteLine(run.StandardOutput);
            Assert.True(run.Succeeded, run.Output + "\n--- registry log ---\n" + registry.Log + "\n--- dockerd log ---\n" + dockerd.ReadLog());
            return run;
        }

        async Task<(string Id, string Reference)> Installed(string alias)
        {
            var inspect = await Docker("plugin", "inspect", "-f", "{{.Id}} {{.Enabled}} {{.PluginReference}}", alias);
            var parts = inspect.StandardOutput.Trim().Split(' ');
            Assert.Equal("true", parts[1]);
            return (parts[0], parts[2]);
        }

        try
        {
            await dockerd.ImportBusyboxAsync(Image);

            // 1. The release path.
            await Docker("plugin", "install", "--grant-all-permissions", "--alias", Alias, reference);
            var enabled = await Docker("plugin", "inspect", "-f", "{{.Enabled}} {{.Config.Interface.Socket}} {{.Config.PropagatedMount}}", Alias);
            Assert.Equal("true my-plugin.sock /mnt/volumes", enabled.StandardOutput.Trim());

            await Docker("volume", "create", "-d", Alias, "-o", "mode=0750", "v1");
            var write = await Docker("run", "--rm", "--network", "none", "-v", "v1:/v", Image, "sh", "-c", "stat -c %a /v && echo hello from a container > /v/greeting");
            Assert.Equal("750", write.StandardOutput.Trim());
            var read = await Docker("run", "--rm", "--network", "none", "-v", "v1:/v:ro", Image, "cat", "/v/greeting");
            Assert.Equal("hello from a container", read.StandardOutput.Trim());

            var inspect = await Docker("volume", "inspect", "-f", "{{.Driver}} {{.Mountpoint}} {{index .Status \"mode\"}} {{index .Status \"mounts\"}}", "v1");
            Assert.Equal($"{Alias}:latest /mnt/volumes/volumes/v1 0750 0", inspect.StandardOutput.Trim());

            var bogus = await dockerd.DockerAsync("volume", "create", "-d", Alias, "-o", "bogus=1", "v2");
            Assert.False(bogus.Succeeded);
            Assert.Contains("unknown option 'bogus'", bogus.StandardError);

            await Docker("volume", "rm", "v1");
            var list = await Docker("volume", "ls", "-q");
            Assert.Equal("", list.StandardOutput.Trim());
            output.WriteLine($"Installed {reference} as '{Alias}' in a private dockerd; a container read: {read.StandardOutput.Trim()}");

            // 2. The inner loop. First run, from the solution folder (the test project has no plugin: its PluginUpgrade
            // does nothing); nothing was rebuilt since the push, so this installs the same binary under a content tag.
            var first = await PluginUpgrade(directory);
            Assert.Contains($"as {DevAlias}", first.StandardOutput);
            var (id, v1) = await Installed(DevAlias);
            Assert.Matches($@"^127\.0\.0\.1:\d+/{Repository}:1\.0\.0-dev\.[0-9a-f]{{12}}$", v1);

            await Docker("volume", "create", "-d", DevAlias, "-o", "mode=0750", "keep");
            await Docker("run", "--rm", "--network", "none", "-v", "keep:/d", Image, "sh", "-c", "echo v1 data > /d/f");

            // Nothing changed: the same content tag, so no upgrade.
            var again = await PluginUpgrade(project);
            Assert.Contains($"Plugin {DevAlias} ({id[..12]}) already runs {v1}", again.StandardOutput);

            // A code change: Status gains a key.
            var driverPath = Path.Combine(project, "MyPluginDriver.cs");
            var driver = await File.ReadAllTextAsync(driverPath);
            var changed = driver.Replace("=> volume?.RawOptions;", "=> new Dictionary<string, string> { [\"generation\"] = \"2\" };", StringComparison.Ordinal);
            Assert.NotEqual(driver, changed);
            await File.WriteAllTextAsync(driverPath, changed);

            var upgraded = await PluginUpgrade(project);
            Assert.Contains($"Upgraded {DevAlias}", upgraded.StandardOutput);
            var (idAfter, v2) = await Installed(DevAlias);
            Assert.Equal(id, idAfter);
            Assert.NotEqual(v1, v2);

            var volumes = await Docker("volume", "ls", "-q");
            Assert.Equal("keep", volumes.StandardOutput.Trim());
            var kept = await Docker("run", "--rm", "--network", "none", "-v", "keep:/d:ro", Image, "sh", "-c", "cat /d/f && stat -c %a /d");
            Assert.Equal("v1 data\n750", kept.StandardOutput.Trim());
            var status = await Docker("volume", "inspect", "-f", "{{.Driver}} {{index .Status \"generation\"}}", "keep");
            Assert.Equal($"{DevAlias}:latest 2", status.StandardOutput.Trim());
        }
        finally
        {
            // Best effort, so the daemon can stop cleanly whatever failed above.
            foreach (var alias in new[] { Alias, DevAlias })
            {
                await dockerd.RemovePluginAsync(alias);
            }
        }
    }
}
