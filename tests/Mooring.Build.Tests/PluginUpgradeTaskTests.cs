using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// The PluginUpgrade and PluginUpgradeTag tasks run by MSBuild, against a fake docker CLI that keeps one plugin's state
/// in files and behaves like the real one where it matters: upgrade refuses an enabled plugin, and without
/// <c>--skip-remote-check</c> it asks for a confirmation nobody can give. The real engine is exercised by
/// tests/Mooring.Templates.Tests/PublishInstallAndUpgradeTests.cs.
/// </summary>
public sealed class PluginUpgradeTaskTests : IDisposable
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string FakeDocker = """
        #!/bin/sh
        # A docker CLI for one plugin; its state is files in $FAKE_DOCKER_STATE.
        s="$FAKE_DOCKER_STATE"
        echo "$*" >> "$s/calls"
        [ -e "$s/no-engine" ] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }
        case "$1 $2" in
          "version --format") echo 24.0.7 ;;
          "plugin inspect")
            [ -e "$s/ref" ] || { echo "Error: No such plugin: $5" >&2; exit 1; }
            echo "$(cat "$s/id") $(cat "$s/enabled") $(cat "$s/ref")" ;;
          "plugin install") echo "$5" > "$s/alias"; echo "$6" > "$s/ref"; echo true > "$s/enabled"; cat "$s/next-id" > "$s/id" ;;
          "plugin disable") echo false > "$s/enabled" ;;
          "plugin enable") echo true > "$s/enabled" ;;
          "plugin upgrade")
            [ "$3 $4" = "--grant-all-permissions --skip-remote-check" ] || { echo "plugin upgrade has been cancelled" >&2; exit 1; }
            [ "$(cat "$s/enabled")" = false ] || { echo "Error response from daemon: plugin must be disabled before upgrading" >&2; exit 1; }
            [ -e "$s/upgrade-fails" ] && { echo "Error response from daemon: pull access denied" >&2; exit 1; }
            echo "$6" > "$s/ref" ;;
          *) echo "fake docker: unexpected '$*'" >&2; exit 1 ;;
        esac
        """;

    private readonly TempDirectory _temp = new();

    public PluginUpgradeTaskTests()
    {
        Directory.CreateDirectory(State);
        File.WriteAllText(Path.Combine(State, "next-id"), Id + "\n");
        File.WriteAllText(Docker, FakeDocker.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(Docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Project, $"""
            <Project>
              <UsingTask TaskName="Mooring.Build.Tasks.PluginUpgrade" AssemblyFile="{TaskAssembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <UsingTask TaskName="Mooring.Build.Tasks.PluginUpgradeTag" AssemblyFile="{TaskAssembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <Target Name="Upgrade">
                <PluginUpgrade Reference="$(Reference)" Alias="lv" DockerCli="{Docker}" />
              </Target>
              <Target Name="Tag">
                <PluginUpgradeTag PluginDirectory="$(Dir)" Version="$(Version)">
                  <Output TaskParameter="Tag" PropertyName="T" />
                </PluginUpgradeTag>
                <Message Importance="high" Text="TAG=$(T)" />
              </Target>
            </Project>
            """);
    }

    private static string TaskAssembly => Path.Combine(AppContext.BaseDirectory, "Mooring.Build.dll");

    private string State => _temp.Combine("state");

    private string Docker => _temp.Combine("docker");

    private string Project => _temp.Combine("upgrade.proj");

    private string[] Calls => File.Exists(Path.Combine(State, "calls"))
        ? File.ReadAllLines(Path.Combine(State, "calls")).Where(c => !c.StartsWith("version", StringComparison.Ordinal) && !c.StartsWith("plugin inspect", StringComparison.Ordinal)).ToArray()
        : [];

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_first_run_installs_under_the_alias_with_all_permissions()
    {
        var run = await UpgradeAsync("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");

        Assert.True(run.Succeeded, run.Output);
        Assert.Equal(["plugin install --grant-all-permissions --alias lv 127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa"], Calls);
        Assert.Contains("Installed 127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa as lv (0123456789ab)", run.StandardOutput);
    }

    [Fact]
    public async Task The_same_reference_again_changes_nothing()
    {
        Install("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");

        var run = await UpgradeAsync("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");

        Assert.True(run.Succeeded, run.Output);
        Assert.Empty(Calls);
        Assert.Contains("already runs", run.StandardOutput);
    }

    [Fact]
    public async Task A_new_reference_is_an_upgrade_in_place_disable_upgrade_enable()
    {
        Install("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");

        var run = await UpgradeAsync("127.0.0.1:5000/acme/lv:1.0.0-dev.bbbbbbbbbbbb");

        Assert.True(run.Succeeded, run.Output);
        Assert.Equal(
            [
                "plugin disable -f lv",
                "plugin upgrade --grant-all-permissions --skip-remote-check lv 127.0.0.1:5000/acme/lv:1.0.0-dev.bbbbbbbbbbbb",
                "plugin enable lv",
            ],
            Calls);
        Assert.DoesNotContain(Calls, c => c.StartsWith("plugin rm", StringComparison.Ordinal) || c.StartsWith("plugin create", StringComparison.Ordinal));
        Assert.Equal("true", File.ReadAllText(Path.Combine(State, "enabled")).Trim());
    }

    [Fact]
    public async Task A_failed_upgrade_enables_the_previous_version_again_and_says_MOOR1017()
    {
        Install("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");
        File.WriteAllText(Path.Combine(State, "upgrade-fails"), "");

        var run = await UpgradeAsync("127.0.0.1:5000/acme/lv:1.0.0-dev.bbbbbbbbbbbb");

        Assert.False(run.Succeeded, run.Output);
        Assert.Contains("error MOOR1017", run.StandardOutput);
        Assert.Contains("pull access denied", run.StandardOutput);
        Assert.Contains("The previous version (127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa) is enabled again", run.StandardOutput);
        Assert.Equal("plugin enable lv", Calls[^1]);
        Assert.Equal("true", File.ReadAllText(Path.Combine(State, "enabled")).Trim());
    }

    [Fact]
    public async Task No_engine_is_MOOR1008_and_nothing_is_run()
    {
        File.WriteAllText(Path.Combine(State, "no-engine"), "");

        var run = await UpgradeAsync("127.0.0.1:5000/acme/lv:1.0.0-dev.aaaaaaaaaaaa");

        Assert.False(run.Succeeded, run.Output);
        Assert.Contains("error MOOR1008", run.StandardOutput);
        Assert.Empty(Calls);
    }

    [Fact]
    public async Task The_tag_follows_the_content_of_the_plugin_directory()
    {
        var directory = _temp.Combine("plugin");
        Directory.CreateDirectory(Path.Combine(directory, "rootfs", "app"));
        File.WriteAllText(Path.Combine(directory, "config.json"), "{}");
        File.WriteAllText(Path.Combine(directory, "rootfs", "app", "plugin"), "v1");

        var first = await TagAsync(directory, "1.0.0+abc");
        var same = await TagAsync(directory, "1.0.0+abc");
        File.WriteAllText(Path.Combine(directory, "rootfs", "app", "plugin"), "v2");
        var changed = await TagAsync(directory, "1.0.0+abc");

        Assert.Matches("^1.0.0-abc-dev.[0-9a-f]{12}$", first);
        Assert.Equal(first, same);
        Assert.NotEqual(first, changed);
    }

    private void Install(string reference)
    {
        File.WriteAllText(Path.Combine(State, "id"), Id + "\n");
        File.WriteAllText(Path.Combine(State, "enabled"), "true\n");
        File.WriteAllText(Path.Combine(State, "ref"), reference + "\n");
    }

    private Task<ProcessResult> UpgradeAsync(string reference) =>
        DotnetCli.RunAsync(_temp.Path, ["msbuild", Project, "-t:Upgrade", "-nologo", "-v:n", "-p:Reference=" + reference],
            new Dictionary<string, string?> { ["FAKE_DOCKER_STATE"] = State }, TimeSpan.FromMinutes(3));

    private async Task<string> TagAsync(string directory, string version)
    {
        var run = await DotnetCli.RunAsync(_temp.Path, ["msbuild", Project, "-t:Tag", "-nologo", "-v:m", "-p:Dir=" + directory, "-p:Version=" + version],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.Succeeded, run.Output);
        var line = run.StandardOutput.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("TAG=", StringComparison.Ordinal));
        return line["TAG=".Length..];
    }
}
