using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// sdk/Mooring.Sdk/Sdk/Mooring.Sdk.Relink.targets: turning PluginStaticExecutable (or another link-only setting) on or
/// off, or a project's own LinkerArg, links again, although NativeAOT's LinkNative is incremental on its object file alone. A stand-in LinkNative with
/// NativeAOT's Inputs and Outputs records each link, so the rule is checked without a NativeAOT compile.
/// </summary>
public sealed class RelinkTests : IDisposable
{
    private readonly TempDirectory _temp = new("mt-relink-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_changed_link_setting_links_again_and_an_unchanged_one_does_not()
    {
        var project = WriteProject(extra: "", recorded: "StaticExecutable=$(StaticExecutable)");

        await LinkAsync(project, "-p:StaticExecutable=");
        await LinkAsync(project, "-p:StaticExecutable="); // up to date: the object file is older than the binary
        await LinkAsync(project, "-p:StaticExecutable=true");
        await LinkAsync(project, "-p:StaticExecutable=true");
        await LinkAsync(project, "-p:StaticExecutable=");

        Assert.Equal(["StaticExecutable=", "StaticExecutable=true", "StaticExecutable="], File.ReadAllLines(_temp.Combine("links.txt")));
    }

    [Fact]
    public async Task A_changed_linker_argument_of_the_project_links_again()
    {
        var project = WriteProject(
            extra: """<ItemGroup><LinkerArg Include="$(ExtraLinkerOption)" Condition="'$(ExtraLinkerOption)' != ''" /></ItemGroup>""",
            recorded: "Args=@(LinkerArg, ' ')");

        await LinkAsync(project, "-p:ExtraLinkerOption=");
        await LinkAsync(project, "-p:ExtraLinkerOption=-lfoo");
        await LinkAsync(project, "-p:ExtraLinkerOption=-lfoo"); // unchanged: up to date
        await LinkAsync(project, "-p:ExtraLinkerOption=-lbar");

        Assert.Equal(["Args=", "Args=-lfoo", "Args=-lbar"], File.ReadAllLines(_temp.Combine("links.txt")));
    }

    // A project with the SDK's relink target and a stand-in LinkNative (NativeAOT's Inputs and Outputs) that appends
    // `recorded` to links.txt each time it runs.
    private string WriteProject(string extra, string recorded)
    {
        var project = _temp.Combine("link.proj");
        File.WriteAllText(project, $"""
            <Project DefaultTargets="LinkNative">
              <PropertyGroup>
                <PublishAot>true</PublishAot>
                <NativeIntermediateOutputPath>{_temp.Combine("obj")}/</NativeIntermediateOutputPath>
                <NativeObject>{_temp.Combine("obj", "plugin.o")}</NativeObject>
                <NativeBinary>{_temp.Combine("bin", "plugin")}</NativeBinary>
              </PropertyGroup>
              {extra}
              <Import Project="{RepositoryLayout.PathOf("sdk", "Mooring.Sdk", "Sdk", "Mooring.Sdk.Relink.targets")}" />
              <Target Name="LinkNative" Inputs="$(NativeObject)" Outputs="$(NativeBinary)">
                <PropertyGroup><_Recorded>{recorded}</_Recorded></PropertyGroup>
                <WriteLinesToFile File="{_temp.Combine("links.txt")}" Lines="$(_Recorded)" />
                <MakeDir Directories="$([System.IO.Path]::GetDirectoryName($(NativeBinary)))" />
                <Touch Files="$(NativeBinary)" AlwaysCreate="true" />
              </Target>
            </Project>
            """);
        Directory.CreateDirectory(_temp.Combine("obj"));
        File.WriteAllText(_temp.Combine("obj", "plugin.o"), "object");
        return project;
    }

    private async Task LinkAsync(string project, string setting)
    {
        var run = await DotnetCli.RunAsync(_temp.Path, ["msbuild", project, setting, "-nologo"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.Succeeded, run.Output);
    }
}
