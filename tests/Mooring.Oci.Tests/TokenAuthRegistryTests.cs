using System.Text;
using Mooring.Oci.Auth;
using Mooring.Oci.Plugins;
using Mooring.Oci.References;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class TokenAuthRegistryTests
{
    private const string User = "tokenuser";
    private const string Password = "t0ken-Pa55-never-printed";

    private static RegistryClientOptions Options(string user = User, string password = Password, RecordingProgress? progress = null) =>
        new() { Credentials = new RegistryCredentials(user, password) { Source = "test" }, Progress = progress };

    [Fact]
    public async Task Push_asks_for_the_plugin_scope_and_caches_the_token()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        var result = await PluginPackage.PushAsync(image, ImageReference.Parse($"{registry.Address}/tok/plugin:1"), ["1", "2", "3"], Options());
        Assert.Equal(2, result.BlobsUploaded);
        Assert.Equal(["repository(plugin):tok/plugin:push,pull"], issuer.RequestedScopes.Distinct());
        // One token for HEADs, uploads, the tag checks and three manifest PUTs.
        Assert.Equal(1, issuer.Requests);

        var again = await PluginPackage.PushAsync(image, ImageReference.Parse($"{registry.Address}/tok/plugin:1"), options: Options());
        Assert.Equal((0, 2), (again.BlobsUploaded, again.BlobsSkipped));
    }

    [Fact]
    public async Task Falls_back_to_the_plain_scope_when_the_token_service_refuses_the_plugin_class()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Reject);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var result = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), ImageReference.Parse($"{registry.Address}/tok/fallback:1"), options: Options());
        Assert.Equal(2, result.BlobsUploaded);
        Assert.Equal(["repository(plugin):tok/fallback:push,pull", "repository:tok/fallback:push,pull"], issuer.RequestedScopes.Distinct());
        // The refusal is remembered: one refused and one granted request in total.
        Assert.Equal(2, issuer.Requests);
    }

    [Fact]
    public async Task Falls_back_to_the_plain_scope_when_the_plugin_token_does_not_grant_access()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.GrantUnusable);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var result = await PluginPackage.PushDirectoryAsync(dir.Combine("p"), ImageReference.Parse($"{registry.Address}/tok/unusable:1"), options: Options());
        Assert.Equal(2, result.BlobsUploaded);
        Assert.Equal(["repository(plugin):tok/unusable:push,pull", "repository:tok/unusable:push,pull"], issuer.RequestedScopes.Distinct());
        Assert.Equal(2, issuer.Requests);
    }

    [Fact]
    public async Task Cross_repository_mount_asks_for_pull_on_the_source()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        await PluginPackage.PushAsync(image, ImageReference.Parse($"{registry.Address}/tok/a:1"), options: Options());
        var result = await PluginPackage.PushAsync(image, ImageReference.Parse($"{registry.Address}/tok/b:1"), options: Options(), mountFrom: "tok/a");
        Assert.Equal(2, result.BlobsMounted);
        Assert.Contains("repository:tok/a:pull", issuer.RequestedScopes);
    }

    [Fact]
    public async Task Pull_uses_a_pull_scope_token()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        var image = await PluginPackage.BuildAsync(dir.Combine("p"), dir.Combine("w"), DateTimeOffset.UnixEpoch);
        await PluginPackage.PushAsync(image, ImageReference.Parse($"{registry.Address}/tok/pull:1"), options: Options());
        using var client = new RegistryClient(registry.Address, Options());
        Assert.Equal(image.Manifest, (await client.GetManifestAsync("tok/pull", "1")).Content);
        Assert.Contains("repository:tok/pull:pull", issuer.RequestedScopes);
    }

    [Fact]
    public async Task A_wrong_password_at_the_token_service_is_MOOR2002_without_the_password()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        PluginSamples.Create(dir.Combine("p"));
        const string wrong = "Wr0ng-t0ken-pass";
        var e = await Assert.ThrowsAsync<RegistryException>(() => PluginPackage.PushDirectoryAsync(dir.Combine("p"),
            ImageReference.Parse($"{registry.Address}/tok/wrong:1"), options: Options(password: wrong)));
        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Equal(RegistryStep.Authenticate, e.Step);
        Assert.Contains(registry.Address, e.Message);
        Assert.Contains(issuer.Realm, e.Message);
        Assert.Contains("Check the credentials for user 'tokenuser'", e.Message);
        Assert.DoesNotContain(wrong, e.ToString());
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{wrong}")), e.ToString());
        // A 401 is final: the plugin scope is not retried as a plain scope with the same bad password.
        Assert.Equal(1, issuer.Requests);
    }

    [Fact]
    public async Task No_credentials_at_a_token_registry_is_MOOR2002()
    {
        using var issuer = new TokenIssuer(User, Password, PluginScopeBehavior.Grant);
        await using var registry = await issuer.StartRegistryAsync();
        using var dir = new TempDirectory();
        using var client = new RegistryClient(registry.Address, new RegistryClientOptions { EnvironmentReader = n => n == "HOME" ? dir.Path : null });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("tok/x", "1"));
        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Contains("no credentials were found", e.Message);
    }
}
