using Mooring.Oci.Auth;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;

namespace Mooring.Oci.Tests;

public class AuthChallengeTests
{
    [Fact]
    public void Parameters_keep_commas_inside_quotes()
    {
        var p = AuthChallenge.ParseParameters("realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\", error=insufficient_scope");
        Assert.Equal("https://auth.example/token", p["realm"]);
        Assert.Equal("registry.example", p["Service"]);
        Assert.Equal("repository:a/b:pull,push", p["scope"]);
        Assert.Equal("insufficient_scope", p["error"]);
        Assert.Empty(AuthChallenge.ParseParameters(null));
    }

    [Theory]
    [InlineData("/token")]
    [InlineData("ftp://127.0.0.1/token")]
    public async Task A_realm_that_is_not_an_absolute_http_url_is_refused(string realm)
    {
        using var server = new FakeHttpServer(ctx =>
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.Headers["WWW-Authenticate"] = $"Bearer realm=\"{realm}\",service=\"x\"";
            ctx.Response.Close();
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { Credentials = new RegistryCredentials("u", "p") });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.BlobExistsAsync("a/b", "sha256:" + new string('c', 64)));
        Assert.Equal(OciErrorCodes.TokenServiceFailed, e.Code);
        Assert.Contains(realm, e.Message);
        Assert.Equal(1, server.Requests);
    }
}
