using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Mooring.Oci.Auth;
using Mooring.Oci.Manifests;
using Mooring.Text;

namespace Mooring.Oci.Registry;

/// <summary>
/// Sends requests to one registry with per-request timeouts and retries (exponential backoff on 5xx, connection errors and
/// timeouts; never on 4xx, never for non-idempotent requests), follows redirects itself, bounds buffered answers, and turns
/// failures into <see cref="RegistryException"/>s with useful messages.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;

    public RegistryTransport(string registry, string registryHost, RegistryClientOptions options)
    {
        Registry = registry;
        _options = options;
        Insecure = RegistryEndpoint.IsInsecure(registryHost, options.InsecureRegistries, options.LoopbackIsInsecure) || RegistryEndpoint.IsInsecure(registry, options.InsecureRegistries, options.LoopbackIsInsecure);
        BaseUri = new Uri($"{(Insecure ? "http" : "https")}://{registryHost}/");
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, options.RequestTimeout.TotalSeconds)),
            // Redirects are followed in SendOnceAsync: only for GET and HEAD, under the same plain-http rule as the registry,
            // and without Authorization once they leave the origin that was given it.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Mooring", typeof(RegistryTransport).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public string Registry { get; }

    public Uri BaseUri { get; }

    public bool Insecure { get; }

    public RegistryClientOptions Options => _options;

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends a request built fresh for every attempt (a request and its content cannot be sent twice). With
    /// <paramref name="bufferBody"/> the answer is read into memory, up to <see cref="ResponseBody.MaxBufferedBytes"/>.
    /// A non-<paramref name="idempotent"/> request is sent once: repeating a blob <c>PATCH</c> or <c>PUT</c> the registry may
    /// have partly taken would corrupt or fail the upload, so the caller restarts the upload instead.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryStep step, string what, Func<HttpRequestMessage> createRequest, bool bufferBody, CancellationToken cancellationToken, bool idempotent = true)
    {
        var delay = _options.RetryBaseDelay;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = !idempotent || attempt >= _options.MaxRetries;
            using var request = createRequest();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(step, what, request, timeout.Token).ConfigureAwait(false);
                if (bufferBody)
                {
                    await BufferAsync(step, what, response, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new RegistryException(OciErrorCodes.TlsFailed, Registry, step, null, null,
                    $"The TLS handshake with registry {Registry} failed during {what}: {UntrustedText.Escape(e.Message)}. If this registry serves plain HTTP, list it as an insecure registry; if it uses a private CA, trust that CA on this machine.", e);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                if (!last)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay *= 2;
                    continue;
                }

                throw Unreachable(step, what, e, attempt + 1);
            }

            if ((int)response.StatusCode >= 500 && !last)
            {
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            return response;
        }
    }

    /// <summary>The exception for a registry that could not be reached, or whose answer timed out or broke off.</summary>
    public RegistryException Unreachable(RegistryStep step, string what, Exception e, int attempts)
    {
        var reason = e is OperationCanceledException
            ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s"
            : Describe(e);
        return new RegistryException(OciErrorCodes.Unreachable, Registry, step, null, null,
            $"Registry {Registry} is unreachable ({BaseUri}) during {what}: {reason}. Tried {attempts} time(s). Check that the registry is running, that the host name and port are right, and that no proxy or firewall is in the way.", e);
    }

    /// <summary>Refuses a URL the registry pointed us to that <see cref="RegistryEndpoint.MayRequest"/> does not allow.</summary>
    public void EnsureMayRequest(RegistryStep step, string what, Uri uri, string source)
    {
        if (!RegistryEndpoint.MayRequest(uri, _options))
        {
            throw new RegistryException(OciErrorCodes.UnsafeLocation, Registry, step, null, null,
                $"Registry {Registry} sent {what} to {source} '{UntrustedText.Escape(uri.GetLeftPart(UriPartial.Path))}', which is plain HTTP to a host that is neither loopback nor listed as an insecure registry (or not HTTP at all). Nothing was sent there. If that host is yours and plain HTTP is intended, list it as an insecure registry.");
        }
    }

    /// <summary>Sends one request, following up to <see cref="MaxRedirects"/> redirects of a GET or HEAD.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(RegistryStep step, string what, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        EnsureMayRequest(step, what, request.RequestUri!, "a request");
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var current = request;
        for (var hop = 0; IsRedirect(response.StatusCode) && (current.Method == HttpMethod.Get || current.Method == HttpMethod.Head) && response.Headers.Location is { } location; hop++)
        {
            response.Dispose();
            var target = location.IsAbsoluteUri ? location : new Uri(current.RequestUri!, location);
            if (hop >= MaxRedirects)
            {
                throw new RegistryException(OciErrorCodes.UnexpectedResponse, Registry, step, null, null,
                    $"Registry {Registry} redirected {what} more than {MaxRedirects} times. Check the registry's storage configuration.");
            }

            EnsureMayRequest(step, what, target, "a redirect");
            var next = new HttpRequestMessage(current.Method, target);
            foreach (var header in current.Headers)
            {
                // Credentials stay with the origin they were given for; a redirect elsewhere (blob storage) goes without them.
                if (header.Key != "Authorization" || RegistryEndpoint.SameOrigin(current.RequestUri!, target))
                {
                    next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            if (!ReferenceEquals(current, request))
            {
                current.Dispose();
            }

            current = next;
            response = await _http.SendAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>
    /// Replaces the content with a bounded in-memory copy. Success bodies over <see cref="ResponseBody.MaxBufferedBytes"/> are an
    /// error; error bodies are cut at <see cref="ResponseBody.MaxErrorBytes"/> (they only feed the message).
    /// </summary>
    private async Task BufferAsync(RegistryStep step, string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.RequestMessage?.Method == HttpMethod.Head)
        {
            return; // Content-Length of a HEAD is the blob's size; there is no body.
        }

        var error = (int)response.StatusCode >= 400;
        var limit = error ? ResponseBody.MaxErrorBytes : ResponseBody.MaxBufferedBytes;
        if (!error && response.Content.Headers.ContentLength > limit)
        {
            var declared = response.Content.Headers.ContentLength.Value;
            response.Dispose();
            throw TooLarge(step, what, $"it announced {declared} bytes");
        }

        (var body, var complete) = await ResponseBody.ReadAsync(response.Content, limit, _options.ResponseIdleTimeout, cancellationToken).ConfigureAwait(false);
        if (!complete && !error)
        {
            response.Dispose();
            throw TooLarge(step, what, "it sent more");
        }

        var buffered = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            if (header.Key != "Content-Length")
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = buffered;
    }

    private RegistryException TooLarge(RegistryStep step, string what, string detail) =>
        new(OciErrorCodes.ResponseTooLarge, Registry, step, null, null,
            $"Registry {Registry} answered {what} with more than {ResponseBody.MaxBufferedBytes / (1024 * 1024)} MiB ({detail}). Manifests, indexes and token answers are small; this registry or a proxy in front of it is misbehaving. Nothing of the answer was used.");

    /// <summary>Builds the exception for an unsuccessful answer. The message names the registry, the step and what to try.</summary>
    /// <remarks>
    /// Everything the registry wrote (reason phrase, error code and message) passes through <paramref name="clean"/>: escaped for
    /// terminals, and with the credentials and tokens removed in case the registry echoes them.
    /// </remarks>
    public async Task<RegistryException> CreateErrorAsync(RegistryStep step, string what, HttpResponseMessage response, RegistryCredentials? credentials, Func<string?, string> clean, CancellationToken cancellationToken)
    {
        (var rawCode, var rawMessage) = await ReadErrorBodyAsync(response, _options.ResponseIdleTimeout, cancellationToken).ConfigureAwait(false);
        var registryCode = rawCode is null ? null : clean(rawCode);
        var registryMessage = rawMessage is null ? null : clean(rawMessage);
        var status = (int)response.StatusCode;
        var statusText = $"{status} {clean(response.ReasonPhrase)}".Trim();
        var detail = registryCode is null ? statusText : $"{statusText}, {registryCode}{(string.IsNullOrEmpty(registryMessage) ? "" : ": " + registryMessage)}";
        var prefix = $"Registry {Registry} refused {what} ({detail}).";

        (var code, var hint) = (status, registryCode, step) switch
        {
            (401, _, _) => (OciErrorCodes.Unauthorized, credentials is null
                ? "It requires authentication and no credentials were found. " + RegistryCredentialResolver.LoginHint(Registry)
                : $"Check the credentials for user '{credentials.Username}' (from {credentials.Source}): the user name or password is wrong, or the token service did not grant access."),
            (403, _, _) or (_, "DENIED", _) => (OciErrorCodes.Forbidden,
                credentials is null
                    ? "The request was denied to anonymous users; log in with an account that has push access."
                    : $"User '{credentials.Username}' (from {credentials.Source}) is authenticated but not allowed to do this; ask for push access to the repository or use another repository."),
            (_, "NAME_UNKNOWN" or "NAME_INVALID", _) => (OciErrorCodes.NameUnknown,
                "The repository does not exist and the registry does not create repositories on push; create it first (in the registry's UI or API) or check the repository name."),
            (_, _, RegistryStep.PushManifest) when status is >= 400 and < 500 => (OciErrorCodes.ManifestRejected,
                $"The registry does not accept this manifest; it may not support Docker plugins (config media type {MediaTypes.PluginConfig}) or schema2 manifests. Use a registry that stores Docker plugins (Docker Hub, distribution/registry, Harbor with plugin support)."),
            (_, "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN", RegistryStep.GetManifest or RegistryStep.GetBlob) or (404, _, RegistryStep.GetManifest or RegistryStep.GetBlob) => (OciErrorCodes.NotFound,
                "Check the repository, tag and digest."),
            (_, _, RegistryStep.StartUpload or RegistryStep.UploadBlob or RegistryStep.MountBlob) when status is >= 400 and < 500 => (OciErrorCodes.BlobUploadFailed,
                "The blob upload was refused; if the registry needs chunked uploads or a different chunk size, set the chunk size or force chunked upload."),
            _ when status >= 500 => (OciErrorCodes.UnexpectedResponse, "The registry had an internal error; try again later or check the registry's logs."),
            _ => (OciErrorCodes.UnexpectedResponse, "This answer was not expected; check the registry's logs."),
        };

        return new RegistryException(code, Registry, step, response.StatusCode, registryCode, $"{prefix} {hint}");
    }

    private static async Task<(string? Code, string? Message)> ReadErrorBodyAsync(HttpResponseMessage response, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered answers are already cut to MaxErrorBytes; a streamed one (a blob GET) is read only that far.
            (var body, var complete) = await ResponseBody.ReadAsync(response.Content, ResponseBody.MaxErrorBytes, idleTimeout, cancellationToken).ConfigureAwait(false);
            if (body.Length == 0 || !complete)
            {
                return (null, null);
            }

            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object &&
                json.RootElement.TryGetProperty("errors", out var errors) &&
                errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (code, message);
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            // The body is informational only.
        }

        return (null, null);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException => true,
        IOException => true,
        _ => false,
    };

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused (nothing listens on that port)",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
                    SocketError.TimedOut => "the connection timed out",
                    _ => socket.Message,
                };
            }
        }

        return e.Message;
    }
}
