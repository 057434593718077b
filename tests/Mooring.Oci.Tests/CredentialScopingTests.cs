using System.Text;
using Mooring.Oci.Archives;
using Mooring.Oci.Auth;
using Mooring.Oci.Images;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

/// <summary>
/// The credential variables (MOORING_REGISTRY_*, DOTNET_CONTAINER_REGISTRY_*) belong to one registry: the push registry, or the
/// one MOORING_REGISTRY_HOST names. Every other registry gets its own docker config entry, or nothing.
/// </summary>
public class CredentialScopingTests
{
    private const string User = "pusher";
    private const string Password = "Right-Pa55word";

    private static Dictionary<string, string> Env(string user = "envuser", string password = "env-pass") => new()
    {
        ["MOORING_REGISTRY_USERNAME"] = user, ["MOORING_REGISTRY_PASSWORD"] = password,
        ["DOTNET_CONTAINER_REGISTRY_UNAME"] = user, ["DOTNET_CONTAINER_REGISTRY_PWORD"] = password,
        ["HOME"] = "/nonexistent",
    };

    private static RegistryClientOptions Options(Dictionary<string, string> env, string? environmentRegistry) =>
        new() { EnvironmentReader = n => env.GetValueOrDefault(n), EnvironmentCredentialsRegistry = environmentRegistry };

    [Fact]
    public async Task Environment_credentials_go_only_to_the_registry_they_belong_to()
    {
        var env = Env();
        var push = await RegistryCredentialResolver.ResolveAsync("push.example:5000", Options(env, "push.example:5000"));
        Assert.Equal("envuser", push!.Username);

        Assert.Null(await RegistryCredentialResolver.ResolveAsync("base.example", Options(env, "push.example:5000")));
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("push.example:5001", Options(env, "push.example:5000")));
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("docker.io", Options(env, "push.example:5000")));
        // Nobody said where they belong: nowhere.
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("push.example:5000", Options(env, null)));

        env.Remove("MOORING_REGISTRY_PASSWORD");
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("base.example", Options(env, "push.example:5000")));
        Assert.Equal("$DOTNET_CONTAINER_REGISTRY_UNAME", (await RegistryCredentialResolver.ResolveAsync("push.example:5000", Options(env, "push.example:5000")))!.Source);
    }

    [Theory]
    [InlineData("base.example", "base.example", true)]
    [InlineData("https://base.example/v1/", "base.example", true)]
    [InlineData("BASE.example", "base.example", true)]
    [InlineData("index.docker.io", "docker.io", true)]
    [InlineData("base.example", "push.example:5000", false)]
    public async Task MOORING_REGISTRY_HOST_names_the_registry_instead(string named, string registry, bool gets)
    {
        var env = Env();
        env["MOORING_REGISTRY_HOST"] = named;
        var credentials = await RegistryCredentialResolver.ResolveAsync(registry, Options(env, "push.example:5000"));
        Assert.Equal(gets, credentials is not null);
    }

    [Fact]
    public async Task Another_registry_still_gets_its_own_docker_config_entry()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), "{\"auths\":{\"base.example\":{\"username\":\"baseuser\",\"password\":\"basepass\"}}}");
        var env = Env();
        env["DOCKER_CONFIG"] = dir.Path;
        var credentials = await RegistryCredentialResolver.ResolveAsync("base.example", Options(env, "push.example:5000"));
        Assert.Equal(("baseuser", "basepass"), (credentials!.Username, credentials.Password));
    }

    [Fact]
    public async Task An_anonymous_base_pull_works_when_the_push_credentials_in_the_environment_are_wrong()
    {
        // Like Docker Hub: anonymous pulls are fine, wrong credentials are refused.
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant, anonymousPull: true);
        await using var registry = await issuer.StartRegistryAsync();
        using var work = new TempDirectory();
        var image = await PushBaseImageAsync(registry.Address, work);
        var env = Env(User, "Wr0ng-push-pa55");
        env["HOME"] = work.Path; // no docker config

        // What PluginBaseImage does: the variables are for PluginRegistry; this registry is not named, so the pull is anonymous.
        var pulled = await BaseImage.PullAndFlattenAsync(image, work.Combine("rootfs"), Options(env, "push.example:5000"));
        Assert.Equal("base\n", File.ReadAllText(work.Combine("rootfs", "etc", "base-release")));
        Assert.Equal(image.Digest ?? pulled.ManifestDigest, pulled.ManifestDigest);

        // The control: had the wrong credentials been sent, the pull would have failed.
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            BaseImage.PullAndFlattenAsync(image, work.Combine("rootfs2"), Options(env, registry.Address)));
        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.DoesNotContain("Wr0ng-push-pa55", e.Message);
    }

    private static async Task<ImageReference> PushBaseImageAsync(string registry, TempDirectory work)
    {
        var root = work.Combine("base");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "base-release"), "base\n");
        var layer = await LayerBuilder.CreateFromDirectoryAsync(root, root + ".tar.gz", DateTimeOffset.UnixEpoch);
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{layer.DiffId}\"]}}}}");
        var manifest = ManifestWriter.CreateSchema2(
            new Descriptor(MediaTypes.DockerImageConfig, config.Length, Digests.Sha256(config)),
            [new Descriptor(layer.MediaType, layer.Size, layer.Digest)]);
        using var client = new RegistryClient(registry, new RegistryClientOptions
        {
            Credentials = new RegistryCredentials(User, Password), UsePluginScope = false, EnvironmentReader = _ => null,
        });
        await client.PushBlobAsync("base/tiny", layer.ToBlobContent());
        await client.PushBlobAsync("base/tiny", BlobContent.FromBytes(config));
        await client.PushManifestAsync("base/tiny", "1", manifest);
        return ImageReference.Parse($"{registry}/base/tiny:1");
    }
}
