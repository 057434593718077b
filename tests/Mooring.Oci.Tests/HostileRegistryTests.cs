using System.Diagnostics;
using System.Net;
using System.Text;
using Mooring.Oci.Auth;
using Mooring.Oci.Manifests;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;

namespace Mooring.Oci.Tests;

/// <summary>
/// Registries and hosts that misbehave on purpose (<see cref="HostileRegistry"/>): credentials must reach only the registry's own
/// origin (and its token realm), and untrusted answers are bounded, timed out and escaped.
/// </summary>
public class HostileRegistryTests
{
    private const string User = "builder";
    private const string Password = "S3cret-Push-Pa55word";
    private const string Repository = "hostile/plugin";
    private static readonly string Token = "tok-" + Guid.NewGuid().ToString("N");
    private static readonly string BasicValue = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
    private static readonly BlobContent Blob = BlobContent.FromBytes(Encoding.UTF8.GetBytes("layer bytes"));
    private static readonly string[] Secrets = [.. HostileRegistry.SecretForms(User, Password), Token];

    private static RegistryClientOptions Options(HostileRegistry? registry = null, bool listOnlyTheRegistry = false) => new()
    {
        Credentials = new RegistryCredentials(User, Password) { Source = "test" },
        MaxRetries = 0,
        RequestTimeout = TimeSpan.FromSeconds(30),
        // With loopback not trusted by default, 127.0.0.2 stands for a plain-http host the user did not list.
        LoopbackIsInsecure = !listOnlyTheRegistry,
        InsecureRegistries = listOnlyTheRegistry ? [registry!.Address] : [],
        EnvironmentReader = _ => null,
    };

    /// <summary>A registry that wants a Bearer token from its own realm (http://registry/token), which wants Basic credentials.</summary>
    private static async Task<bool> TokenAuthAsync(HostileExchange x, string registryAddress)
    {
        if (x.Path == "/token")
        {
            await (x.Request.Header("Authorization") == BasicValue
                ? x.Send(200, $$"""{"token":"{{Token}}","expires_in":300}""")
                : x.Send(401, """{"details":"bad credentials"}"""));
            return false;
        }

        if (x.Request.Header("Authorization") != "Bearer " + Token)
        {
            await x.Send(401, """{"errors":[{"code":"UNAUTHORIZED"}]}""", headers: ("WWW-Authenticate", $"Bearer realm=\"http://{registryAddress}/token\",service=\"hostile\""));
            return false;
        }

        return true;
    }

    /// <summary>A registry that wants Basic credentials on every request.</summary>
    private static async Task<bool> BasicAuthAsync(HostileExchange x)
    {
        if (x.Request.Header("Authorization") != BasicValue)
        {
            await x.Send(401, "", headers: ("WWW-Authenticate", "Basic realm=\"hostile\""));
            return false;
        }

        return true;
    }

    [Fact]
    public async Task An_upload_Location_on_another_host_gets_neither_the_password_nor_the_token()
    {
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(async x =>
        {
            if (!await TokenAuthAsync(x, fixture!.Address))
            {
                return;
            }

            await (x.Request.Method switch
            {
                "HEAD" => x.Send(404),
                "POST" => x.Send(202, headers: ("Location", $"http://{fixture.OtherAddress}/upload/1")),
                _ => x.Send(400),
            });
        }, other: x => x.Request.Method == "PUT" ? x.Send(201) : x.Send(404));

        using var client = new RegistryClient(hostile.Address, Options());
        Assert.Equal(BlobPushOutcome.Uploaded, await client.PushBlobAsync(Repository, Blob));

        var put = Assert.Single(hostile.To(hostile.OtherAddress));
        Assert.Equal("PUT", put.Method);
        Assert.Null(put.Header("Authorization"));
        hostile.AssertNoSecretReached(hostile.OtherAddress, Secrets);
        // The registry itself did get the token: the test would pass vacuously otherwise.
        Assert.Contains(hostile.To(hostile.Address), r => r.Header("Authorization") == "Bearer " + Token);
    }

    [Fact]
    public async Task A_plain_http_upload_Location_on_a_host_not_listed_as_insecure_is_refused_before_anything_is_sent()
    {
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(async x =>
        {
            if (!await BasicAuthAsync(x))
            {
                return;
            }

            await (x.Request.Method switch
            {
                "HEAD" => x.Send(404),
                "POST" => x.Send(202, headers: ("Location", $"http://{fixture!.OtherAddress}/upload/1")),
                _ => x.Send(400),
            });
        }, other: x => x.Send(201));

        using var client = new RegistryClient(hostile.Address, Options(hostile, listOnlyTheRegistry: true));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(Repository, Blob));

        Assert.Equal(OciErrorCodes.UnsafeLocation, e.Code);
        Assert.Contains(hostile.OtherAddress, e.Message);
        Assert.Contains("insecure registry", e.Message);
        Assert.Empty(hostile.To(hostile.OtherAddress));
    }

    [Fact]
    public async Task A_401_challenge_from_a_host_reached_by_redirect_is_not_answered_with_this_registrys_credentials()
    {
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(async x =>
        {
            if (await BasicAuthAsync(x))
            {
                await x.Send(307, headers: ("Location", $"http://{fixture!.OtherAddress}/storage/blob"));
            }
        }, other: x => x.Path == "/token"
            ? x.Send(200, """{"token":"evil"}""")
            : x.Send(401, "", headers: ("WWW-Authenticate", $"Bearer realm=\"http://{fixture!.OtherAddress}/token\",service=\"evil\"")));

        using var client = new RegistryClient(hostile.Address, Options());
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.CopyBlobAsync(Repository, Blob.Digest, Stream.Null));

        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.NotEmpty(hostile.To(hostile.OtherAddress));
        Assert.DoesNotContain(hostile.To(hostile.OtherAddress), r => r.Path() == "/token");
        hostile.AssertNoSecretReached(hostile.OtherAddress, Secrets);
    }

    [Fact]
    public async Task A_token_realm_on_plain_http_to_a_host_not_listed_as_insecure_never_gets_the_credentials()
    {
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(
            x => x.Send(401, "", headers: ("WWW-Authenticate", $"Bearer realm=\"http://{fixture!.OtherAddress}/token\",service=\"hostile\"")),
            other: x => x.Send(200, """{"token":"t"}"""));

        using var client = new RegistryClient(hostile.Address, Options(hostile, listOnlyTheRegistry: true));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1"));

        Assert.Equal(OciErrorCodes.UnsafeLocation, e.Code);
        Assert.Equal(RegistryStep.Authenticate, e.Step);
        Assert.Empty(hostile.To(hostile.OtherAddress));
    }

    [Fact]
    public async Task A_manifest_over_4_MiB_is_refused()
    {
        var huge = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"pad\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        using var hostile = new HostileRegistry(x => x.Send(200, huge, "application/vnd.oci.image.manifest.v1+json"));
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1"));

        Assert.Equal(OciErrorCodes.ResponseTooLarge, e.Code);
        Assert.Equal(RegistryStep.GetManifest, e.Step);
    }

    [Fact]
    public async Task An_endless_manifest_is_cut_off()
    {
        using var hostile = new HostileRegistry(x => x.SendEndless(200));
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(OciErrorCodes.ResponseTooLarge, e.Code);
    }

    [Fact]
    public async Task An_endless_error_body_still_gives_the_status_error()
    {
        using var hostile = new HostileRegistry(x => x.SendEndless(404));
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(OciErrorCodes.NotFound, e.Code);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task An_endless_token_answer_is_cut_off()
    {
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(x => x.Path == "/token"
            ? x.SendEndless(200)
            : x.Send(401, "", headers: ("WWW-Authenticate", $"Bearer realm=\"http://{fixture!.Address}/token\",service=\"hostile\"")));
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(OciErrorCodes.ResponseTooLarge, e.Code);
        Assert.Equal(RegistryStep.Authenticate, e.Step);
    }

    [Fact]
    public async Task A_manifest_body_that_stalls_after_the_headers_hits_the_idle_timeout()
    {
        using var hostile = new HostileRegistry(x => x.SendStalled(200, "{\"schemaVersion\":"));
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions
        {
            MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(60), ResponseIdleTimeout = TimeSpan.FromSeconds(1), EnvironmentReader = _ => null,
        });
        var sw = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1").WaitAsync(TimeSpan.FromSeconds(45)));

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}: the request timeout, not the idle timeout, ended it");
        Assert.Equal(OciErrorCodes.Unreachable, e.Code);
        Assert.Contains("stalled", e.Message);
    }

    [Fact]
    public async Task A_blob_body_that_stalls_after_the_headers_hits_the_idle_timeout()
    {
        using var hostile = new HostileRegistry(x => x.SendStalled(200, "first bytes", "application/octet-stream", contentLength: 1000));
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions
        {
            MaxRetries = 0, ResponseIdleTimeout = TimeSpan.FromSeconds(1), EnvironmentReader = _ => null,
        });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.CopyBlobAsync(Repository, Blob.Digest, Stream.Null).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(OciErrorCodes.Unreachable, e.Code);
        Assert.Equal(RegistryStep.GetBlob, e.Step);
        Assert.Contains("stalled", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_blob_longer_than_its_descriptor_is_cut_off_at_the_descriptor_size(bool announced)
    {
        using var hostile = new HostileRegistry(x => announced
            ? x.Send(200, new string('B', 1024 * 1024), "application/octet-stream")
            : x.SendEndless(200, "application/octet-stream"));
        using var client = new RegistryClient(hostile.Address, Options());
        using var destination = new MemoryStream();
        var descriptor = new Descriptor(MediaTypes.OciLayerGzip, Blob.Length, Blob.Digest);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.CopyBlobAsync(Repository, descriptor, destination).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(OciErrorCodes.ResponseTooLarge, e.Code);
        Assert.Contains($"says {Blob.Length} bytes", e.Message);
        Assert.True(destination.Length <= Blob.Length, $"{destination.Length} bytes were written");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_blob_shorter_than_its_descriptor_is_refused(bool announced)
    {
        using var hostile = new HostileRegistry(x => announced ? x.Send(200, "short", "application/octet-stream") : x.SendChunked(200, "short"));
        using var client = new RegistryClient(hostile.Address, Options());
        var descriptor = new Descriptor(MediaTypes.OciLayerGzip, Blob.Length, Blob.Digest);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.CopyBlobAsync(Repository, descriptor, Stream.Null));

        Assert.Equal(OciErrorCodes.DigestMismatch, e.Code);
        Assert.Contains("wrong size", e.Message);
    }

    [Fact]
    public async Task Registry_error_text_is_escaped_and_echoed_credentials_are_redacted()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var message = $"denied for {User}:{Password} (header Basic {basic}, unpadded {basic.TrimEnd('=')}, token {Token})\u001b[2J\u001b]0;pwned\u0007\r\nerror MOOR9999: forged line\u202e";
        var body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + System.Text.Json.JsonEncodedText.Encode(message) + "\"}]}";
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(async x =>
        {
            if (await TokenAuthAsync(x, fixture!.Address))
            {
                await x.Send(403, body);
            }
        });
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1"));

        Assert.Equal(OciErrorCodes.Forbidden, e.Code);
        Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c == '\u202e');
        Assert.Contains("\\x1b[2J", e.Message);
        Assert.Contains("\\x0d\\x0aerror MOOR9999", e.Message);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, e.Message);
        }

        Assert.Contains("denied for builder:***", e.Message);
    }

    [Fact]
    public async Task A_token_service_that_echoes_the_Basic_header_does_not_get_it_into_the_message()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        HostileRegistry? fixture = null;
        using var hostile = fixture = new HostileRegistry(x => x.Path == "/token"
            ? x.Send(401, $"{{\"details\":\"bad header Basic {basic}\\u001b[31m\"}}")
            : x.Send(401, "", headers: ("WWW-Authenticate", $"Bearer realm=\"http://{fixture!.Address}/token\",service=\"hostile\"")));
        using var client = new RegistryClient(hostile.Address, Options());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1"));

        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Contains("bad header Basic ***", e.Message);
        Assert.DoesNotContain(basic, e.Message);
        Assert.DoesNotContain(basic.TrimEnd('='), e.Message);
    }

    [Fact]
    public async Task A_monolithic_PUT_that_fails_with_5xx_is_not_repeated_the_upload_restarts_from_a_new_session()
    {
        var sessions = 0;
        using var hostile = new HostileRegistry(x => (x.Request.Method, x.Path) switch
        {
            ("HEAD", _) => x.Send(404),
            ("POST", _) => x.Send(202, headers: ("Location", $"/upload/{Interlocked.Increment(ref sessions)}")),
            ("PUT", "/upload/1") => x.Send(500, """{"errors":[{"code":"UNKNOWN","message":"half written"}]}"""),
            ("PUT", _) => x.Send(201),
            _ => x.Send(400),
        });
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), EnvironmentReader = _ => null });

        Assert.Equal(BlobPushOutcome.Uploaded, await client.PushBlobAsync(Repository, Blob));

        var puts = hostile.Requests.Where(r => r.Method == "PUT").Select(r => r.Path()).ToList();
        Assert.Equal(["/upload/1", "/upload/2"], puts);
        Assert.Equal(2, hostile.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task A_PATCH_that_fails_with_5xx_is_not_repeated_the_upload_restarts_from_a_new_session()
    {
        var sessions = 0;
        using var hostile = new HostileRegistry(x => (x.Request.Method, x.Path) switch
        {
            ("HEAD", _) => x.Send(404),
            ("POST", _) => x.Send(202, headers: ("Location", $"/upload/{Interlocked.Increment(ref sessions)}")),
            ("PATCH", "/upload/1") => x.Send(503),
            ("PATCH", _) => x.Send(202, headers: ("Location", x.Path)),
            ("PUT", _) => x.Send(201),
            _ => x.Send(400),
        });
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions
        {
            ForceChunkedUpload = true, RetryBaseDelay = TimeSpan.FromMilliseconds(10), EnvironmentReader = _ => null,
        });

        Assert.Equal(BlobPushOutcome.Uploaded, await client.PushBlobAsync(Repository, Blob));

        var patches = hostile.Requests.Where(r => r.Method == "PATCH").Select(r => r.Path()).ToList();
        Assert.Equal(["/upload/1", "/upload/2"], patches);
    }

    [Fact]
    public async Task Upload_restarts_are_bounded_by_MaxRetries()
    {
        var sessions = 0;
        using var hostile = new HostileRegistry(x => x.Request.Method switch
        {
            "HEAD" => x.Send(404),
            "POST" => x.Send(202, headers: ("Location", $"/upload/{Interlocked.Increment(ref sessions)}")),
            _ => x.Send(500),
        });
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10), EnvironmentReader = _ => null });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobAsync(Repository, Blob));

        Assert.Equal(RegistryStep.UploadBlob, e.Step);
        Assert.Equal(3, hostile.Requests.Count(r => r.Method == "PUT"));
        Assert.Equal(3, hostile.Requests.Select(r => r.Path()).Where(p => p.StartsWith("/upload/", StringComparison.Ordinal)).Distinct().Count());
    }

    [Fact]
    public async Task Environment_credentials_for_the_push_registry_do_not_reach_another_registry()
    {
        var env = new Dictionary<string, string>
        {
            ["MOORING_REGISTRY_USERNAME"] = User, ["MOORING_REGISTRY_PASSWORD"] = Password,
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = User, ["DOTNET_CONTAINER_REGISTRY_PWORD"] = Password,
        };
        using var hostile = new HostileRegistry(async x =>
        {
            if (await BasicAuthAsync(x))
            {
                await x.Send(200, "{}");
            }
        });
        // What PluginBaseImage does: the environment's credentials belong to PluginRegistry, this is the base image's registry.
        using var client = new RegistryClient(hostile.Address, new RegistryClientOptions
        {
            EnvironmentReader = n => env.GetValueOrDefault(n), EnvironmentCredentialsRegistry = "push.example:5000", MaxRetries = 0,
        });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repository, "1"));

        Assert.Equal(OciErrorCodes.Unauthorized, e.Code);
        Assert.Contains("no credentials were found", e.Message);
        Assert.Contains("MOORING_REGISTRY_HOST", e.Message);
        Assert.NotEmpty(hostile.To(hostile.Address));
        hostile.AssertNoSecretReached(hostile.Address, HostileRegistry.SecretForms(User, Password));
    }
}

internal static class CapturedRequestExtensions
{
    public static string Path(this CapturedRequest request) => request.Target.Split('?')[0];
}
