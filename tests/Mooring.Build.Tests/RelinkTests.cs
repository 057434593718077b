using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// sdk/Mooring.Sdk/Sdk/Mooring.Sdk.Relink.targets: turning PluginStaticExecutable (or another link-only setting) on or
/// off links again, although NativeAOT's LinkNative is incremental on its object file alone. A stand-in LinkNative with
/// NativeAOT's Inputs and Outputs records each link, so the rule is checked without a NativeAOT compile.
/// </summary>
public sealed class RelinkTests : IDisposable
{
    private readonly TempDirectory _temp = new("mt-relink-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_changed_link_setting_links_again_and_an_unchanged_one_does_not()
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
              <Import Project="{RepositoryLayout.PathOf("sdk", "Mooring.Sdk", "Sdk", "Mooring.Sdk.Relink.targets")}" />
              <Target Name="LinkNative" Inputs="$(NativeObject)" Outputs="$(NativeBinary)">
                <WriteLinesToFile File="{_temp.Combine("links.txt")}" Lines="StaticExecutable=$(StaticExecutable)" />
                <MakeDir Directories="$([System.IO.Path]::GetDirectoryName($(NativeBinary)))" />
                <Touch Files="$(NativeBinary)" AlwaysCreate="true" />
              </Target>
            </Project>
            """);
        Directory.CreateDirectory(_temp.Combine("obj"));
        File.WriteAllText(_temp.Combine("obj", "plugin.o"), "object");

        await LinkAsync(project, "-p:StaticExecutable=");
        await LinkAsync(project, "-p:StaticExecutable="); // up to date: the object file is older than the binary
        await LinkAsync(project, "-p:StaticExecutable=true");
        await LinkAsync(project, "-p:StaticExecutable=true");
        await LinkAsync(project, "-p:StaticExecutable=");

        Assert.Equal(["StaticExecutable=", "StaticExecutable=true", "StaticExecutable="], File.ReadAllLines(_temp.Combine("links.txt")));
    }

    private async Task LinkAsync(string project, string setting)
    {
        var run = await DotnetCli.RunAsync(_temp.Path, ["msbuild", project, setting, "-nologo"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.Succeeded, run.Output);
    }
}
