using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>How the issuer treats the plugin resource class <c>repository(plugin)</c>.</summary>
public enum PluginScopeBehavior
{
    /// <summary>Grant it as type repository with class plugin (what Docker Hub does).</summary>
    Grant,

    /// <summary>Answer 400 (a token service that does not know resource classes).</summary>
    Reject,

    /// <summary>Issue a token whose access the registry does not recognise, so the registry answers 401.</summary>
    GrantUnusable,
}

/// <summary>
/// A small Docker token service on 127.0.0.1 (HttpListener): checks Basic credentials, and issues ES256 JWTs whose header
/// carries the signing certificate in <c>x5c</c>; the registry trusts that certificate through its rootcertbundle.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string IssuerName = "mooring-test-issuer";
    private readonly HttpListener _listener;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;
    private readonly string? _user;
    private readonly string? _password;

    private readonly bool _anonymousPull;

    // anonymousPull: like Docker Hub, a request without credentials gets a pull-only token, one with wrong credentials a 401.
    public TokenIssuer(string? user, string? password, PluginScopeBehavior pluginScope, bool anonymousPull = false)
    {
        _user = user;
        _password = password;
        _anonymousPull = anonymousPull;
        PluginScope = pluginScope;
        var request = new CertificateRequest("CN=mooring-test-token-issuer", _key, HashAlgorithmName.SHA256);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePem = _certificate.ExportCertificatePem();
        _listener = LoopbackHttpListener.Start("127.0.0.1", out var port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    public string CertificatePem { get; }

    /// <summary>The service name the registry announces and the token's audience.</summary>
    public const string Service = "mooring-test-registry";

    /// <summary>Starts a real registry that trusts this issuer's tokens.</summary>
    public Task<PrivateRegistry> StartRegistryAsync() => PrivateRegistry.StartTokenAsync(Realm, Service, IssuerName, CertificatePem);

    public PluginScopeBehavior PluginScope { get; }

    public ConcurrentQueue<string> RequestedScopes { get; } = new();

    public int Requests => _requests;

    public int Refusals => _refusals;

    private int _requests;
    private int _refusals;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                Handle(context);
            }
            catch (Exception e)
            {
                context.Response.StatusCode = 500;
                Write(context.Response, new JsonObject { ["error"] = e.Message });
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var anonymous = _anonymousPull && request.Headers["Authorization"] is null;
        if (_user is not null && !anonymous)
        {
            var header = request.Headers["Authorization"];
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
            if (header != expected)
            {
                Interlocked.Increment(ref _refusals);
                context.Response.StatusCode = 401;
                Write(context.Response, new JsonObject { ["details"] = "incorrect username or password" });
                return;
            }
        }

        var access = new JsonArray();
        foreach (var scope in request.QueryString.GetValues("scope") ?? [])
        {
            RequestedScopes.Enqueue(scope);
            // type[(class)]:name:actions — the name itself may not contain ':' here.
            var parts = scope.Split(':');
            if (parts.Length != 3)
            {
                context.Response.StatusCode = 400;
                Write(context.Response, new JsonObject { ["details"] = "bad scope" });
                return;
            }

            var type = parts[0];
            string? resourceClass = null;
            if (type.EndsWith("(plugin)", StringComparison.Ordinal))
            {
                switch (PluginScope)
                {
                    case PluginScopeBehavior.Reject:
                        Interlocked.Increment(ref _refusals);
                        context.Response.StatusCode = 400;
                        Write(context.Response, new JsonObject { ["details"] = "unknown resource class" });
                        return;
                    case PluginScopeBehavior.Grant:
                        type = "repository";
                        resourceClass = "plugin";
                        break;
                    case PluginScopeBehavior.GrantUnusable:
                        break;
                }
            }

            var actions = parts[2].Split(',').Where(a => !anonymous || a == "pull");
            var entry = new JsonObject { ["type"] = type, ["name"] = parts[1], ["actions"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()) };
            if (resourceClass is not null)
            {
                entry["class"] = resourceClass;
            }

            access.Add(entry);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = IssuerName,
            ["sub"] = _user ?? "",
            ["aud"] = request.QueryString["service"],
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var header2 = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(header2.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        // .NET signs in IEEE P1363 form (r||s), which is what JWS ES256 wants.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        var token = signingInput + "." + B64(signature);
        Write(context.Response, new JsonObject { ["token"] = token, ["access_token"] = token, ["expires_in"] = 300 });
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Write(HttpListenerResponse response, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public void Dispose()
    {
        HttpListeners.Close(_listener);

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _certificate.Dispose();
        _key.Dispose();
    }
}
