using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>Packs Mooring + Mooring.Sdk once per run and publishes the probe plugin once for every test that needs it.</summary>
public sealed class PackagedSdkFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _probeLock = new(1, 1);
    private (string Directory, ProcessResult Publish)? _probe;

    public SdkPackageFeed Feed { get; private set; } = null!;

    public async Task InitializeAsync() => Feed = await SdkPackageFeed.CreateAsync();

    public async Task DisposeAsync() => await Feed.DisposeAsync();

    /// <summary>
    /// The probe: a plugin project with a hand-written manifest (so these tests do not depend on the generator's
    /// details), an extra rootfs file and a hook for an extra library, published once with -t:PluginDirectory.
    /// </summary>
    public async Task<(string Directory, ProcessResult Publish)> GetProbeAsync()
    {
        await _probeLock.WaitAsync();
        try
        {
            if (_probe is null)
            {
                var directory = Feed.CreateConsumerDirectory("probe");
                var project = Path.Combine(directory, "Probe");
                Directory.CreateDirectory(Path.Combine(project, "extra"));
                await File.WriteAllTextAsync(Path.Combine(project, "Probe.csproj"), $"""
                    <Project Sdk="{Feed.SdkReference}">
                      <PropertyGroup>
                        <PluginDescription>Overridden by MSBuild</PluginDescription>
                        <PluginEnable>true</PluginEnable>
                      </PropertyGroup>
                      <ItemGroup>
                        <PluginRootfsFile Include="extra/hello.txt" Destination="/etc/mooring/hello.txt" />
                        <PluginRootfsLibrary Include="$(ExtraLibrary)" Condition="'$(ExtraLibrary)' != ''" />
                        <PluginEnv Include="PROBE_MODE" Value="fast" Description="set by MSBuild" Settable="true" />
                      </ItemGroup>
                    </Project>
                    """);
                await File.WriteAllTextAsync(Path.Combine(project, "extra", "hello.txt"), "hello from the rootfs\n");
                await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), """
                    [assembly: Mooring.PluginManifest("{\"description\":\"from the manifest\",\"documentation\":\"https://example.test\",\"interface\":{\"types\":[\"docker.volumedriver/1.0\"],\"socket\":\"probe.sock\"},\"network\":{\"type\":\"\"},\"propagatedMount\":\"/data\",\"mounts\":[],\"linux\":{\"capabilities\":[],\"allowAllDevices\":false,\"devices\":[]},\"env\":[],\"args\":{\"name\":\"args\",\"description\":\"\",\"settable\":[],\"value\":[]},\"ipchost\":false,\"pidhost\":false}")]
                    System.Console.WriteLine("probe says hello");
                    """);
                var publish = await DotnetCli.RunAsync(project, ["publish", "-t:PluginDirectory", "-v:n"]);
                _probe = (project, publish);
            }

            return _probe.Value;
        }
        finally
        {
            _probeLock.Release();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackagedSdkCollection : ICollectionFixture<PackagedSdkFixture>
{
    public const string Name = "Packaged Mooring.Sdk";
}
