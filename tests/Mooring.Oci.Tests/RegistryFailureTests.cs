using System.Diagnostics;
using System.Net;
using System.Text;
using Mooring.Oci.Auth;
using Mooring.Oci.Manifests;
using Mooring.Oci.Registry;
using Mooring.Oci.Tests.Infrastructure;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests;

public class RegistryFailureTests
{
    private static readonly string SomeDigest = "sha256:" + new string('a', 64);

    [Fact]
    public async Task An_unreachable_registry_fails_fast_with_MOOR2001_and_says_what_to_check()
    {
        var port = PrivateRegistry.FreePort(); // nothing listens there any more
        using var client = new RegistryClient($"127.0.0.1:{port}");
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.BlobExistsAsync("team/plugin", SomeDigest));
        sw.Stop();
        Assert.Equal(OciErrorCodes.Unreachable, e.Code);
        Assert.Equal($"127.0.0.1:{port}", e.Registry);
        Assert.Equal(RegistryStep.CheckBlob, e.Step);
        Assert.Null(e.StatusCode);
        Assert.Contains($"Registry 127.0.0.1:{port} is unreachable", e.Message);
        Assert.Contains("connection refused", e.Message);
        Assert.Contains("Tried 4 time(s)", e.Message);
        Assert.Contains("Check that the registry is running", e.Message);
        // 3 retries at 250, 500, 1000 ms.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_then_reported()
    {
        using var server = new FakeHttpServer(ctx => Respond(ctx, 503, """{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}"""));
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(100) });
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("team/plugin", "1"));
        Assert.Equal(3, server.Requests);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(300), $"no backoff: {sw.Elapsed}"); // 100 + 200
        Assert.Equal(OciErrorCodes.UnexpectedResponse, e.Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Contains("UNAVAILABLE: try later", e.Message);
        Assert.Contains("internal error", e.Message);
    }

    [Fact]
    public async Task A_transient_server_error_is_survived()
    {
        var calls = 0;
        using var server = new FakeHttpServer(ctx => Interlocked.Increment(ref calls) == 1 ? Respond(ctx, 502, "") : Respond(ctx, 200, "", head: true));
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        Assert.True(await client.BlobExistsAsync("team/plugin", SomeDigest));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        using var server = new FakeHttpServer(ctx => Respond(ctx, 404, """{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}"""));
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        var manifest = Encoding.UTF8.GetBytes("{}");
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushManifestAsync("team/plugin", "1", manifest));
        Assert.Equal(1, server.Requests);
        Assert.Equal(OciErrorCodes.NameUnknown, e.Code);
        Assert.Equal("NAME_UNKNOWN", e.RegistryErrorCode);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task A_registry_that_refuses_the_plugin_media_type_is_MOOR2005()
    {
        using var server = new FakeHttpServer(ctx => Respond(ctx, 400, """{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid","detail":"unsupported config media type"}]}"""));
        using var client = new RegistryClient(server.Address);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushManifestAsync("team/plugin", "1", "{}"u8.ToArray()));
        Assert.Equal(OciErrorCodes.ManifestRejected, e.Code);
        Assert.Contains(MediaTypes.PluginConfig, e.Message);
        Assert.Contains("MANIFEST_INVALID", e.Message);
        Assert.Contains(server.Address, e.Message);
    }

    [Fact]
    public async Task A_hanging_registry_hits_the_per_request_timeout()
    {
        using var server = new FakeHttpServer(async ctx => await Task.Delay(TimeSpan.FromSeconds(30)));
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.BlobExistsAsync("team/plugin", SomeDigest));
        Assert.Equal(OciErrorCodes.Unreachable, e.Code);
        Assert.Contains("no answer within 0.3 s", e.Message);
        Assert.Equal(2, server.Requests);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_a_timeout()
    {
        using var server = new FakeHttpServer(async ctx => await Task.Delay(TimeSpan.FromSeconds(30)));
        using var client = new RegistryClient(server.Address);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.BlobExistsAsync("team/plugin", SomeDigest, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Upload_locations_may_be_absolute_or_relative_and_monolithic_falls_back_to_chunks()
    {
        var log = new List<string>();
        byte[]? received = null;
        var chunks = new MemoryStream();
        using var server = new FakeHttpServer(async ctx =>
        {
            var req = ctx.Request;
            lock (log)
            {
                log.Add($"{req.HttpMethod} {req.Url!.PathAndQuery}");
            }

            switch (req.HttpMethod)
            {
                case "HEAD":
                    await Respond(ctx, 404, "", head: true);
                    break;
                case "POST":
                    // First session: an absolute URL; later ones: a relative path with a query already present.
                    ctx.Response.Headers["Location"] = log.Count(l => l.StartsWith("POST", StringComparison.Ordinal)) == 1
                        ? $"http://127.0.0.1:{req.Url.Port}/v2/team/plugin/blobs/uploads/abs-1?_state=x"
                        : "/v2/team/plugin/blobs/uploads/rel-2?_state=y";
                    await Respond(ctx, 202, "");
                    break;
                case "PUT" when req.Url.AbsolutePath.EndsWith("abs-1", StringComparison.Ordinal):
                    // A proxy with a body limit: the monolithic PUT is refused.
                    await Respond(ctx, 413, "");
                    break;
                case "PATCH":
                    Assert.Matches("^\\d+-\\d+$", req.Headers["Content-Range"]!);
                    await req.InputStream.CopyToAsync(chunks);
                    ctx.Response.Headers["Location"] = "/v2/team/plugin/blobs/uploads/rel-2?_state=z";
                    await Respond(ctx, 202, "");
                    break;
                case "PUT":
                    received = chunks.ToArray();
                    await Respond(ctx, 201, "");
                    break;
            }
        });
        var data = new byte[5000];
        new Random(3).NextBytes(data);
        var blob = BlobContent.FromBytes(data);
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { ChunkSize = 2048 });
        Assert.Equal(BlobPushOutcome.Uploaded, await client.PushBlobAsync("team/plugin", blob));
        Assert.Equal(data, received);
        var digestQuery = "digest=" + Uri.EscapeDataString(blob.Digest);
        Assert.Contains($"PUT /v2/team/plugin/blobs/uploads/abs-1?_state=x&{digestQuery}", log);
        Assert.Equal(3, log.Count(l => l.StartsWith("PATCH /v2/team/plugin/blobs/uploads/rel-2", StringComparison.Ordinal)));
        Assert.Contains($"PUT /v2/team/plugin/blobs/uploads/rel-2?_state=z&{digestQuery}", log);
    }

    [Fact]
    public async Task A_denied_push_is_MOOR2003_naming_the_user()
    {
        using var server = new FakeHttpServer(ctx => Respond(ctx, 403, """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""));
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { Credentials = new RegistryCredentials("bob", "hunter2-secret") { Source = "test" } });
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushManifestAsync("team/plugin", "1", "{}"u8.ToArray()));
        Assert.Equal(OciErrorCodes.Forbidden, e.Code);
        Assert.Equal("DENIED", e.RegistryErrorCode);
        Assert.Equal(1, server.Requests);
        Assert.DoesNotContain("hunter2", e.ToString());
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_with_a_refresh_token_grant()
    {
        string? form = null;
        FakeHttpServer? self = null;
        using var server = new FakeHttpServer(async ctx =>
        {
            var req = ctx.Request;
            if (req.Url!.AbsolutePath == "/token")
            {
                form = await new StreamReader(req.InputStream).ReadToEndAsync();
                await Respond(ctx, req.HttpMethod == "POST" ? 200 : 405, """{"access_token":"at-123","expires_in":120}""");
            }
            else if (req.Headers["Authorization"] == "Bearer at-123")
            {
                await Respond(ctx, 200, "", head: true);
            }
            else
            {
                ctx.Response.Headers["WWW-Authenticate"] = $"Bearer realm=\"http://127.0.0.1:{self!.Port}/token\",service=\"fake\",scope=\"repository:team/plugin:pull\"";
                await Respond(ctx, 401, "");
            }
        });
        self = server;
        using var client = new RegistryClient(server.Address, new RegistryClientOptions { Credentials = RegistryCredentials.FromIdentityToken("refresh-xyz") });
        Assert.True(await client.BlobExistsAsync("team/plugin", SomeDigest));
        Assert.NotNull(form);
        Assert.Contains("grant_type=refresh_token", form);
        Assert.Contains("refresh_token=refresh-xyz", form);
        Assert.Contains("service=fake", form);
        Assert.Contains("scope=repository%3Ateam%2Fplugin%3Apull", form);
        // The token is cached: a second call goes straight through.
        var before = server.Requests;
        Assert.True(await client.BlobExistsAsync("team/plugin", SomeDigest));
        Assert.Equal(before + 1, server.Requests);
    }

    [Fact]
    public async Task A_registry_that_is_not_treated_as_loopback_uses_https_unless_listed_as_insecure()
    {
        // Tests reach only loopback addresses, so "not loopback" is simulated by turning off the loopback rule.
        using var server = new FakeHttpServer(ctx => Respond(ctx, 200, "", head: true));

        using var secure = new RegistryClient(server.Address, new RegistryClientOptions { MaxRetries = 0, LoopbackIsInsecure = false });
        Assert.Equal("https", secure.BaseUri.Scheme);
        var e = await Assert.ThrowsAsync<RegistryException>(() => secure.BlobExistsAsync("team/plugin", SomeDigest));
        Assert.Equal(OciErrorCodes.TlsFailed, e.Code);
        Assert.Contains("insecure registry", e.Message);

        using var insecure = new RegistryClient(server.Address, new RegistryClientOptions { LoopbackIsInsecure = false, InsecureRegistries = [server.Address] });
        Assert.Equal("http", insecure.BaseUri.Scheme);
        Assert.True(await insecure.BlobExistsAsync("team/plugin", SomeDigest));
    }

    private static async Task Respond(HttpListenerContext ctx, int status, string body, bool head = false)
    {
        ctx.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (body.Length > 0)
        {
            ctx.Response.ContentType = "application/json";
        }

        if (!head)
        {
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        }

        ctx.Response.Close();
    }
}
