using System.Net;
using System.Text;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public sealed class HtpasswdRegistryFixture : IAsyncLifetime
{
    public const string User = "mooring";
    public const string Password = "Pa55-word-that-must-not-leak";
    private PrivateRegistry? _registry;

    public PrivateRegistry Registry => _registry!;

    public async Task InitializeAsync() => _registry = await PrivateRegistry.StartHtpasswdAsync(User, Password);

    public async Task DisposeAsync() => await _registry!.DisposeAsync();
}

public class BasicAuthRegistryTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    private const string User = HtpasswdRegistryFixture.User;
    private const string Password = HtpasswdRegistryFixture.Password;

    private PrivateRegistry Registry => fixture.Registry;

    private RegistryClientOptions WithDockerConfig(TempDirectory dir, string user, string password, RecordingProgress? progress = null)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        Directory.CreateDirectory(dir.Combine("docker"));
        File.WriteAllText(dir.Combine("docker", "config.json"), $"{{\"auths\":{{\"{Registry.Address}\":{{\"auth\":\"{auth}\"}}}}}}");
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = dir.Combine("docker"), ["HOME"] = dir.Path };
        return new RegistryClientOptions { EnvironmentReader = name => env.GetValueOrDefault(name), Progress = progress };
    }

    [Fact]
    public async Task Pushes_with_credentials_from_a_docker_config_json()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var progress = new RecordingProgress();
        var result = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), ImageReference.Parse($"{Registry.Address}/basic/plugin:1"),
            options: WithDockerConfig(dir, User, Password, progress), timestamp: DateTimeOffset.UnixEpoch);
        Assert.Equal(2, result.BlobsUploaded);
        var raw = await SkopeoWithCreds($"{Registry.Address}/basic/plugin:1");
        Assert.Equal(result.ManifestDigest, Digests.Sha256(Encoding.UTF8.GetBytes(raw.TrimEnd('\n'))));
    }

    [Fact]
    public async Task Pushes_with_credentials_from_MOORING_variables()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"), payload: "env");
        var env = new Dictionary<string, string> { ["MOORING_REGISTRY_USERNAME"] = User, ["MOORING_REGISTRY_PASSWORD"] = Password, ["HOME"] = dir.Path };
        var result = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), ImageReference.Parse($"{Registry.Address}/basic/env:1"),
            options: new RegistryClientOptions { EnvironmentReader = n => env.GetValueOrDefault(n), EnvironmentCredentialsRegistry = Registry.Address });
        Assert.Equal(2, result.BlobsUploaded);

        // Or named by MOORING_REGISTRY_HOST instead of by the caller.
        env["MOORING_REGISTRY_HOST"] = Registry.Address;
        result = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), ImageReference.Parse($"{Registry.Address}/basic/env-host:1"),
            options: new RegistryClientOptions { EnvironmentReader = n => env.GetValueOrDefault(n) });
        Assert.Equal(2, result.BlobsSkipped + result.BlobsUploaded + result.BlobsMounted);
    }

    [Fact]
    public async Task A_wrong_password_is_MOOR2002_naming_the_registry_without_leaking_the_password()
    {
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        const string wrong = "Wr0ng-secret-do-not-print";
        var e = await Assert.ThrowsAsync<RegistryException>(() => PluginPackage.PushDirectoryAsync(dir.Combine("p"),
            ImageReference.Parse($"{Registry.Address}/basic/wrong:1"), options: WithDockerConfig(dir, User, wrong)));
        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal(Registry.Address, e.Registry);
        Assert.Contains($"Registry {Registry.Address}", e.Message);
        Assert.Contains("Check the credentials for user 'mooring'", e.Message);
        Assert.Contains(dir.Combine("docker", "config.json"), e.Message);
        var everything = e.ToString();
        Assert.DoesNotContain(wrong, everything);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{wrong}")), everything);
    }

    [Fact]
    public async Task No_credentials_is_MOOR2002_telling_how_to_log_in()
    {
        using var dir = new TempDirectory();
        var options = new RegistryClientOptions { EnvironmentReader = n => n == "HOME" ? dir.Path : null };
        using var client = new RegistryClient(Registry.Address, options);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("basic/plugin", "1"));
        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Contains($"docker login {Registry.Address}", e.Message);
        Assert.Contains("MOORING_REGISTRY_USERNAME", e.Message);
    }

    private async Task<string> SkopeoWithCreds(string reference)
    {
        var start = new System.Diagnostics.ProcessStartInfo("skopeo", ["inspect", "--raw", "--tls-verify=false", "--creds", $"{User}:{Password}", "docker://" + reference])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
