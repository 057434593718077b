using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// An error reaches the user with its code and the help link to the row that documents it, whether a task raised it (a
/// MOOR1xxx from a synchronous task, a push setting's MOOR2040), Mooring.Oci did (MOOR2021 from PluginPackage), or an
/// &lt;Error&gt; in Mooring.Sdk.Plugin.targets did. MSBuild's terminal logger prints the help link as a hyperlink on the code,
/// which is what these tests read.
/// </summary>
public sealed class TaskErrorHelpLinkTests : IDisposable
{
    private const string Docs = "https://github.com/mooring-sdk/mooring/blob/main/docs/";

    private readonly TempDirectory _temp = new();

    public TaskErrorHelpLinkTests()
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "Mooring.Build.dll");
        File.WriteAllText(Project, $"""
            <Project>
              <UsingTask TaskName="Mooring.Build.Tasks.PluginUpgradeTag" AssemblyFile="{assembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <UsingTask TaskName="Mooring.Build.Tasks.PluginPack" AssemblyFile="{assembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <UsingTask TaskName="Mooring.Build.Tasks.PluginPush" AssemblyFile="{assembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <Target Name="Tag">
                <PluginUpgradeTag PluginDirectory="{_temp.Combine("missing")}" />
              </Target>
              <Target Name="Pack">
                <PluginPack PluginDirectory="{_temp.Combine("missing")}" OutputPath="{_temp.Combine("plugin.tar")}" />
              </Target>
              <Target Name="Push">
                <PluginPush PluginDirectory="{_temp.Combine("missing")}" IntermediateDirectory="{_temp.Combine("obj")}" ProjectName="lv" />
              </Target>
            </Project>
            """);
    }

    private string Project => _temp.Combine("errors.proj");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("Tag", "MOOR1017", "msbuild.md#moor1017")]
    [InlineData("Pack", "MOOR2021", "push.md#moor2021")]
    [InlineData("Push", "MOOR2040", "push.md#moor2040")]
    public async Task A_task_error_carries_its_code_and_help_link(string target, string code, string anchor)
    {
        var run = await DotnetCli.RunAsync(_temp.Path, ["msbuild", Project, "-t:" + target, "-nologo", "-tl:on"], timeout: TimeSpan.FromMinutes(3));

        AssertLinked(run, code, anchor);
    }

    [Theory]
    [InlineData("_PluginValidateBuildMachine", "-p:_MooringBuildMachineIsLinux=false", "MOOR1015")]
    [InlineData("_PluginValidate", "-p:RuntimeIdentifier=win-x64", "MOOR1002")]
    [InlineData("_PluginValidate", "-p:PublishAot=false", "MOOR1003")]
    [InlineData("_PluginValidateStaticLinker", "-p:PublishAot=true;PluginStaticExecutable=true;LinkerFlavor=lld;_PluginLldCommand=ld.lld-not-installed", "MOOR1018")]
    public async Task A_targets_error_carries_its_code_and_help_link(string target, string property, string code)
    {
        var project = _temp.Combine("targets.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{RepositoryLayout.PathOf("sdk", "Mooring.Sdk", "Sdk", "Mooring.Sdk.Plugin.targets")}" />
            </Project>
            """);

        // The property given last wins, so the RuntimeIdentifier default is overridden where the case sets one.
        var run = await DotnetCli.RunAsync(_temp.Path, ["msbuild", project, "-t:" + target, "-p:RuntimeIdentifier=linux-x64", property, "-nologo", "-tl:on"],
            timeout: TimeSpan.FromMinutes(3));

        AssertLinked(run, code, "msbuild.md#" + code.ToLowerInvariant());
    }

    private static void AssertLinked(ProcessResult run, string code, string anchor)
    {
        Assert.False(run.Succeeded, run.Output);
        // OSC 8: ESC ] 8 ; ; <link> ESC \ <code> ESC ] 8 ; ; ESC \
        Assert.Contains($"\u001b]8;;{Docs}{anchor}\u001b\\{code}\u001b]8;;\u001b\\", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }
}
