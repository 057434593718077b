using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests.ConfigJson;

/// <summary>
/// The PluginConfig task run by MSBuild: MSBuild items become model entries with the model's defaults, and the propagated
/// mount the rootfs needs is the one written.
/// </summary>
public sealed class PluginConfigTaskTests
{
    private static string TaskAssembly => Path.Combine(AppContext.BaseDirectory, "Mooring.Build.dll");

    [Fact]
    public async Task Items_get_the_models_defaults_and_the_written_propagated_mount_is_the_output()
    {
        using var temp = new TempDirectory();
        var manifest = GeneratorBaselines.Manifests()["ManagedDirectory"];
        var assembly = ManifestReaderTests.Compile(temp, "Plugin",
            $"[assembly: Mooring.PluginManifest({SymbolDisplay.FormatLiteral(manifest, quote: true)})]\n" + ManifestReaderTests.AttributeSource);
        var project = temp.Combine("config.proj");
        var config = temp.Combine("plugin", "config.json");
        File.WriteAllText(project, $"""
            <Project>
              <UsingTask TaskName="Mooring.Build.Tasks.PluginConfig" AssemblyFile="{TaskAssembly}" TaskFactory="TaskHostFactory" Runtime="NET" />
              <ItemGroup>
                <PluginMount Include="/cache" Source="/var/cache" />
                <PluginDevice Include="/dev/fuse" Settable="true" />
                <PluginEnv Include="EXTRA" Value="x" Settable="true" />
              </ItemGroup>
              <Target Name="Config">
                <PluginConfig Assembly="{assembly}" ConfigFile="{config}" Entrypoint="/app/Plugin" WorkingDirectory="/app"
                              PropagatedMount="/mnt/volumes" RuntimeIdentifier="linux-arm64"
                              Env="@(PluginEnv)" Mounts="@(PluginMount)" Devices="@(PluginDevice)">
                  <Output TaskParameter="WrittenPropagatedMount" PropertyName="Written" />
                </PluginConfig>
                <Message Importance="high" Text="WRITTEN=$(Written)" />
              </Target>
            </Project>
            """);

        var run = await DotnetCli.RunAsync(temp.Path, ["msbuild", project, "-t:Config", "-nologo", "-v:m"], timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.Succeeded, run.Output);
        Assert.Contains("WRITTEN=/mnt/volumes", run.StandardOutput);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(config))!;
        var mount = json["mounts"]!.AsArray().Single()!;
        Assert.Equal("/cache", mount["name"]!.GetValue<string>());
        Assert.Equal("bind", mount["type"]!.GetValue<string>());
        Assert.Empty(mount["options"]!.AsArray());
        Assert.Equal("path", json["linux"]!["devices"]![0]!["settable"]![0]!.GetValue<string>());
        Assert.Equal(["LOG_LEVEL", "EXTRA"], json["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToArray());
        Assert.Equal("arm64", json["architecture"]!.GetValue<string>());
        Assert.Equal("/mnt/volumes", json["propagatedMount"]!.GetValue<string>());
    }
}
