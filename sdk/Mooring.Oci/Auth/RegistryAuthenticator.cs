using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mooring.Oci.Registry;
using Mooring.Text;

namespace Mooring.Oci.Auth;

/// <summary>
/// Answers a registry's 401 challenges: Basic, or the Bearer token flow (realm/service/scope) with tokens cached per scope.
/// For pushes it asks for the plugin scope first and falls back to the plain repository scope when that is refused.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private readonly RegistryTransport _transport;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    // Every token ever issued to this client, expired or not, so none can be echoed into a message.
    private readonly ConcurrentDictionary<string, byte> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _pluginScopeRefused = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _credentialLock = new(1, 1);
    private bool _credentialsResolved;
    private RegistryCredentials? _credentials;
    private volatile bool _useBasic;
    private volatile AuthChallenge? _bearer;

    public RegistryAuthenticator(RegistryTransport transport) => _transport = transport;

    /// <summary>The credentials in use, once a challenge made us look them up.</summary>
    public RegistryCredentials? Credentials => _credentials;

    /// <summary>The header to send up front, from what earlier challenges taught us; <see langword="null"/> before any challenge.</summary>
    public AuthenticationHeaderValue? CurrentHeader(RepositoryAccess access)
    {
        if (_useBasic && _credentials is not null)
        {
            return BasicHeader(_credentials);
        }

        if (_bearer is not null && _tokens.TryGetValue(ScopeKey(access, PluginClass(access)), out var token) && !token.Expired)
        {
            return new AuthenticationHeaderValue("Bearer", token.Value);
        }

        return null;
    }

    /// <summary>
    /// Reacts to a 401 (or a 403 after a plugin-scope token): returns <see langword="true"/> when a retry with new authorisation
    /// makes sense, <see langword="false"/> when the failure is final.
    /// </summary>
    public async Task<bool> HandleChallengeAsync(HttpResponseMessage response, RepositoryAccess access, AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
    {
        var challenge = AuthChallenge.From(response);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            // Some registries deny an unknown resource class with 403; a plain-scope token may still be allowed.
            if (sent?.Scheme == "Bearer" && PluginClass(access))
            {
                _pluginScopeRefused[access.Repository] = true;
                return await FetchTokenAsync(access, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        if (challenge is null)
        {
            return false;
        }

        var credentials = await GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        if (challenge.IsBasic)
        {
            if (credentials is null || credentials.IdentityToken is not null || sent?.Scheme == "Basic")
            {
                return false;
            }

            _useBasic = true;
            return true;
        }

        _bearer = challenge;
        if (sent?.Scheme == "Bearer")
        {
            // The token did not grant what we need. If it was the plugin scope, try the plain one once.
            if (!PluginClass(access))
            {
                return false;
            }

            _tokens.TryRemove(ScopeKey(access, true), out _);
            _pluginScopeRefused[access.Repository] = true;
        }

        return await FetchTokenAsync(access, cancellationToken).ConfigureAwait(false);
    }

    private bool PluginClass(RepositoryAccess access) =>
        access.Push && _transport.Options.UsePluginScope && !_pluginScopeRefused.ContainsKey(access.Repository);

    private static string ScopeKey(RepositoryAccess access, bool pluginClass) => string.Join(' ', access.Scopes(pluginClass));

    private async Task<bool> FetchTokenAsync(RepositoryAccess access, CancellationToken cancellationToken)
    {
        var challenge = _bearer ?? throw new InvalidOperationException("No Bearer challenge.");
        var realm = challenge.Get("realm");
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) ||
            (realmUri.Scheme != Uri.UriSchemeHttps && realmUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new RegistryException(OciErrorCodes.TokenServiceFailed, _transport.Registry, RegistryStep.Authenticate, HttpStatusCode.Unauthorized, null,
                $"Registry {_transport.Registry} asked for a Bearer token from the realm '{UntrustedText.Escape(realm)}', which is not an absolute https URL. Check the registry's auth configuration.");
        }

        // The realm receives the credentials, so plain http is allowed only where it is for a registry (loopback or listed),
        // judged by the realm's own host: an insecure registry must not be able to send the password to any http host.
        _transport.EnsureMayRequest(RegistryStep.Authenticate, "the credentials", realmUri, "the token realm");

        var plugin = PluginClass(access);
        string token;
        var first = await RequestTokenAsync(realmUri, challenge.Get("service"), access.Scopes(plugin).ToList(), cancellationToken).ConfigureAwait(false);
        if (first.Token is not null)
        {
            token = first.Token;
            Store(ScopeKey(access, plugin), first);
        }
        else if (plugin && first.Status is >= 400 and < 500 && first.Status != 401)
        {
            // The token service does not know the plugin resource class (Harbor, some clouds): ask again without it.
            _pluginScopeRefused[access.Repository] = true;
            var second = await RequestTokenAsync(realmUri, challenge.Get("service"), access.Scopes(false).ToList(), cancellationToken).ConfigureAwait(false);
            token = second.Token ?? throw TokenError(second);
            Store(ScopeKey(access, false), second);
        }
        else
        {
            throw TokenError(first);
        }

        return token.Length > 0;
    }

    // Renew a little early, but never cache a token as already expired (that would loop on 401s).
    private void Store(string scopeKey, TokenAnswer answer)
    {
        _issued[answer.Token!] = 0;
        _tokens[scopeKey] = new CachedToken(answer.Token!, DateTimeOffset.UtcNow + Max(answer.Lifetime - TimeSpan.FromSeconds(5), answer.Lifetime / 2));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<TokenAnswer> RequestTokenAsync(Uri realm, string? service, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var credentials = _credentials;
        HttpRequestMessage Create()
        {
            if (credentials?.IdentityToken is { } refresh)
            {
                // Identity tokens go to the OAuth2 endpoint as a refresh_token grant (what docker does).
                var form = new List<KeyValuePair<string, string>>
                {
                    new("grant_type", "refresh_token"),
                    new("refresh_token", refresh),
                    new("client_id", "mooring"),
                };
                if (service is not null)
                {
                    form.Add(new("service", service));
                }

                form.AddRange(scopes.Select(s => new KeyValuePair<string, string>("scope", s)));
                return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
            }

            var query = new StringBuilder(realm.Query.Length > 0 ? realm.Query[1..] + "&" : "");
            if (service is not null)
            {
                query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
            }

            foreach (var scope in scopes)
            {
                query.Append("scope=").Append(Uri.EscapeDataString(scope)).Append('&');
            }

            if (credentials is not null)
            {
                query.Append("account=").Append(Uri.EscapeDataString(credentials.Username)).Append('&');
            }

            var uri = new UriBuilder(realm) { Query = query.ToString().TrimEnd('&') }.Uri;
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (credentials is not null)
            {
                request.Headers.Authorization = BasicHeader(credentials);
            }

            return request;
        }

        using var response = await _transport.SendAsync(RegistryStep.Authenticate, $"a token request to {UntrustedText.Escape(realm.GetLeftPart(UriPartial.Path))}", Create, bufferBody: true, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new TokenAnswer(null, TimeSpan.Zero, (int)response.StatusCode, response.ReasonPhrase, body, realm);
        }

        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            var root = json.RootElement;
            var token = (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null);
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;
            return string.IsNullOrEmpty(token)
                ? new TokenAnswer(null, TimeSpan.Zero, (int)response.StatusCode, "no token in the answer", null, realm)
                : new TokenAnswer(token, lifetime, (int)response.StatusCode, null, null, realm);
        }
        catch (JsonException)
        {
            return new TokenAnswer(null, TimeSpan.Zero, (int)response.StatusCode, "the answer is not JSON", null, realm);
        }
    }

    private RegistryException TokenError(TokenAnswer answer)
    {
        var credentials = _credentials;
        var where = $"the token service {UntrustedText.Escape(answer.Realm.GetLeftPart(UriPartial.Path))}";
        var body = string.IsNullOrWhiteSpace(answer.Body) ? "" : $": {Clean(answer.Body.Trim())}";
        (var code, var hint) = answer.Status switch
        {
            401 => (OciErrorCodes.Unauthorized, credentials is null
                ? "It requires authentication and no credentials were found. " + RegistryCredentialResolver.LoginHint(_transport.Registry)
                : $"Check the credentials for user '{credentials.Username}' (from {credentials.Source}): the user name or password is wrong."),
            403 => (OciErrorCodes.Forbidden, "The account is not allowed this access; ask for push access to the repository."),
            _ => (OciErrorCodes.TokenServiceFailed, "Check the registry's token service."),
        };
        return new RegistryException(code, _transport.Registry, RegistryStep.Authenticate, (HttpStatusCode)answer.Status, null,
            $"Registry {_transport.Registry}: {where} refused to issue a token ({answer.Status} {Clean(answer.Reason)}{body}). {hint}");
    }

    /// <summary>
    /// Registry text made safe for a message: control characters escaped, and the credentials (in every form) and every token
    /// this client holds removed — a registry or token service could echo what it was sent.
    /// </summary>
    public string Clean(string? text)
    {
        // Redact before cutting, so a secret that straddles the cut cannot leave a readable prefix.
        var redacted = _credentials?.Redact(text ?? "") ?? text ?? "";
        foreach (var token in _issued.Keys)
        {
            if (token.Length >= RegistryCredentials.MinRedactedLength)
            {
                redacted = redacted.Replace(token, RegistryCredentials.Mask, StringComparison.Ordinal);
            }
        }

        return UntrustedText.Escape(redacted);
    }

    private async Task<RegistryCredentials?> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_credentialsResolved)
        {
            return _credentials;
        }

        await _credentialLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_credentialsResolved)
            {
                _credentials = await RegistryCredentialResolver.ResolveAsync(_transport.Registry, _transport.Options, cancellationToken).ConfigureAwait(false);
                _credentialsResolved = true;
            }

            return _credentials;
        }
        finally
        {
            _credentialLock.Release();
        }
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt)
    {
        public bool Expired => DateTimeOffset.UtcNow >= ExpiresAt;

        public override string ToString() => $"token until {ExpiresAt:O}";
    }

    private sealed record TokenAnswer(string? Token, TimeSpan Lifetime, int Status, string? Reason, string? Body, Uri Realm)
    {
        public override string ToString() => $"{Status} {Reason}";
    }
}
