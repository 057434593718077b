using Mooring.TestFixtures;
using Mooring.Templates.Tests.Infrastructure;

namespace Mooring.Templates.Tests;

/// <summary>
/// The user's whole path with a generated plugin: `dotnet publish -t:PluginPush` from the solution folder to a real
/// docker-registry, then `docker plugin install --alias` into a private dockerd and a volume used by containers.
/// </summary>
[Collection(TemplatesCollection.Name)]
public sealed class PublishAndInstallTests(TemplatesFixture fixture, ITestOutputHelper output)
{
    private const string Alias = "acme-store";
    private const string Repository = "acme/store";
    private const string Image = "mooring-busybox:latest";

    [Fact]
    public async Task A_generated_plugin_is_pushed_installed_with_an_alias_and_serves_containers()
    {
        Assert.Null(PrivateRegistry.UnavailableReason());
        var (directory, created) = await fixture.Feed.NewDockerVolumeAsync("my-plugin",
            "--plugin-name", Alias, "--propagated-mount", "/mnt/volumes", "--registry", "registry.invalid:5000", "--repository", Repository,
            "--no-restore");
        Assert.True(created.Succeeded, created.Output);

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

        try
        {
            await dockerd.ImportBusyboxAsync(Image);
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
        }
        finally
        {
            // Best effort, so the daemon can stop cleanly whatever failed above.
            await dockerd.DockerAsync("plugin", "disable", "-f", Alias);
            await dockerd.DockerAsync("plugin", "rm", "-f", Alias);
        }
    }
}
