using System.Text;
using Mooring.Oci.Auth;
using Mooring.Oci.Registry;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class CredentialResolverTests
{
    private static RegistryClientOptions Options(Dictionary<string, string> env, RegistryCredentials? explicitCredentials = null, string? environmentRegistry = "r.example") =>
        new() { Credentials = explicitCredentials, EnvironmentReader = name => env.GetValueOrDefault(name), EnvironmentCredentialsRegistry = environmentRegistry };

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task Explicit_credentials_win_over_everything()
    {
        var env = new Dictionary<string, string> { ["MOORING_REGISTRY_USERNAME"] = "env", ["MOORING_REGISTRY_PASSWORD"] = "x" };
        var creds = await RegistryCredentialResolver.ResolveAsync("r.example", Options(env, new RegistryCredentials("explicit", "p")));
        Assert.Equal("explicit", creds!.Username);
    }

    [Fact]
    public async Task Mooring_variables_come_before_dotnet_container_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["MOORING_REGISTRY_USERNAME"] = "moor", ["MOORING_REGISTRY_PASSWORD"] = "p1",
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "dotnet", ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "p2",
        };
        var creds = await RegistryCredentialResolver.ResolveAsync("r.example", Options(env));
        Assert.Equal(("moor", "p1"), (creds!.Username, creds.Password));
        Assert.Equal("$MOORING_REGISTRY_USERNAME", creds.Source);

        env.Remove("MOORING_REGISTRY_PASSWORD");
        creds = await RegistryCredentialResolver.ResolveAsync("r.example", Options(env));
        Assert.Equal(("dotnet", "p2"), (creds!.Username, creds.Password));
    }

    [Fact]
    public async Task Reads_auths_from_DOCKER_CONFIG_in_every_supported_form()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), $$"""
            {
              "auths": {
                "https://index.docker.io/v1/": { "auth": "{{Auth("hubuser", "hubpass")}}" },
                "http://r1.example:5000/v2/": { "auth": "{{Auth("u1", "p:with:colons")}}" },
                "r2.example": { "username": "u2", "password": "p2" },
                "r3.example": { "identitytoken": "refresh-me" }
              }
            }
            """);
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = dir.Path, ["HOME"] = "/nonexistent" };

        var hub = await RegistryCredentialResolver.ResolveAsync("docker.io", Options(env));
        Assert.Equal(("hubuser", "hubpass"), (hub!.Username, hub.Password));
        var r1 = await RegistryCredentialResolver.ResolveAsync("r1.example:5000", Options(env));
        Assert.Equal(("u1", "p:with:colons"), (r1!.Username, r1.Password));
        var r2 = await RegistryCredentialResolver.ResolveAsync("R2.example", Options(env));
        Assert.Equal(("u2", "p2"), (r2!.Username, r2.Password));
        var r3 = await RegistryCredentialResolver.ResolveAsync("r3.example", Options(env));
        Assert.Equal("refresh-me", r3!.IdentityToken);
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("r1.example:5001", Options(env)));
        Assert.Null(await RegistryCredentialResolver.ResolveAsync("other.example", Options(env)));
    }

    [Fact]
    public async Task Falls_back_to_HOME_dot_docker()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine(".docker"));
        File.WriteAllText(home.Combine(".docker", "config.json"), "{\"auths\":{\"r.example\":{\"auth\":\"" + Auth("h", "p") + "\"}}}");
        var creds = await RegistryCredentialResolver.ResolveAsync("r.example", Options(new() { ["HOME"] = home.Path }));
        Assert.Equal("h", creds!.Username);
    }

    [Fact]
    public async Task Runs_credHelpers_and_credsStore_helpers_with_the_server_url_on_stdin()
    {
        using var dir = new TempDirectory();
        var bin = dir.Combine("bin");
        Directory.CreateDirectory(bin);
        var log = dir.Combine("helper.log");
        WriteHelper(bin, "fake", $$"""
            read url
            echo "$1 $url" >> {{log}}
            if [ "$url" = "r.example:5000" ]; then echo '{"ServerURL":"r.example:5000","Username":"helper-user","Secret":"helper-secret"}'; exit 0; fi
            if [ "$url" = "https://index.docker.io/v1/" ]; then echo '{"ServerURL":"x","Username":"<token>","Secret":"hub-identity"}'; exit 0; fi
            echo "credentials not found in native keychain"; exit 1
            """);
        File.WriteAllText(dir.Combine("config.json"), """{"credsStore":"fake","credHelpers":{"r.example:5000":"fake"},"auths":{"fallback.example":{"auth":"AUTH"}}}""".Replace("AUTH", Auth("a", "b")));
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = dir.Path, ["PATH"] = bin };

        var helper = await RegistryCredentialResolver.ResolveAsync("r.example:5000", Options(env));
        Assert.Equal(("helper-user", "helper-secret"), (helper!.Username, helper.Password));
        Assert.Contains("docker-credential-fake", helper.Source);

        var hub = await RegistryCredentialResolver.ResolveAsync("docker.io", Options(env));
        Assert.Equal("hub-identity", hub!.IdentityToken);

        // credsStore says "not found": the auths entry is used.
        var fallback = await RegistryCredentialResolver.ResolveAsync("fallback.example", Options(env));
        Assert.Equal("a", fallback!.Username);

        Assert.Contains("get r.example:5000", File.ReadAllText(log));
        Assert.Contains("get https://index.docker.io/v1/", File.ReadAllText(log));
    }

    [Fact]
    public async Task A_missing_credHelper_is_a_clear_error_but_a_missing_credsStore_is_ignored()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), """{"credsStore":"desktop","credHelpers":{"r.example":"nosuch"},"auths":{"other.example":{"username":"o","password":"p"}}}""");
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = dir.Path, ["PATH"] = dir.Path };
        var e = await Assert.ThrowsAsync<OciException>(() => RegistryCredentialResolver.ResolveAsync("r.example", Options(env)));
        Assert.Equal(OciErrorCodes.CredentialSourceFailed, e.Code);
        Assert.Contains("docker-credential-nosuch", e.Message);
        var other = await RegistryCredentialResolver.ResolveAsync("other.example", Options(env));
        Assert.Equal("o", other!.Username);
    }

    [Fact]
    public async Task A_broken_config_json_names_the_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), "{ not json");
        var e = await Assert.ThrowsAsync<OciException>(() =>
            RegistryCredentialResolver.ResolveAsync("r.example", Options(new() { ["DOCKER_CONFIG"] = dir.Path })));
        Assert.Equal(OciErrorCodes.CredentialSourceFailed, e.Code);
        Assert.Contains(dir.Combine("config.json"), e.Message);
    }

    [Fact]
    public void Credentials_never_print_their_secret()
    {
        var creds = new RegistryCredentials("alice", "s3cr3t-password") { Source = "test" };
        Assert.DoesNotContain("s3cr3t", creds.ToString());
        Assert.Contains("alice", creds.ToString());
        Assert.DoesNotContain("tok3n", RegistryCredentials.FromIdentityToken("tok3n").ToString());
    }

    private static void WriteHelper(string bin, string name, string body)
    {
        var path = Path.Combine(bin, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
