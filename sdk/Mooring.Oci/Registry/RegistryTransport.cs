using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Mooring.Oci;

/// <summary>
/// Sends requests to one registry with per-request timeouts and retries (exponential backoff on 5xx, connection errors and
/// timeouts; never on 4xx), and turns failures into <see cref="RegistryException"/>s with useful messages.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;
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
            // Blob GETs are often redirected to storage; .NET drops the Authorization header on redirects, which is what we want.
            AllowAutoRedirect = true,
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

    /// <summary>Sends a request built fresh for every attempt (a request and its content cannot be sent twice).</summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryStep step, string what, Func<HttpRequestMessage> createRequest, bool bufferBody, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.RetryBaseDelay;
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool last = attempt >= _options.MaxRetries;
            using var request = createRequest();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, bufferBody ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new RegistryException(OciErrorCodes.TlsFailed, Registry, step, null, null,
                    $"The TLS handshake with registry {Registry} failed during {what}: {e.Message}. If this registry serves plain HTTP, list it as an insecure registry; if it uses a private CA, trust that CA on this machine.", e);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                if (!last)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay *= 2;
                    continue;
                }

                string reason = e is OperationCanceledException
                    ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s"
                    : Describe(e);
                throw new RegistryException(OciErrorCodes.Unreachable, Registry, step, null, null,
                    $"Registry {Registry} is unreachable ({BaseUri}) during {what}: {reason}. Tried {attempt + 1} time(s). Check that the registry is running, that the host name and port are right, and that no proxy or firewall is in the way.", e);
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

    /// <summary>Builds the exception for an unsuccessful answer. The message names the registry, the step and what to try.</summary>
    public async Task<RegistryException> CreateErrorAsync(RegistryStep step, string what, HttpResponseMessage response, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        (string? registryCode, string? registryMessage) = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        string statusText = $"{status} {response.ReasonPhrase}".Trim();
        string detail = registryCode is null ? statusText : $"{statusText}, {registryCode}{(string.IsNullOrEmpty(registryMessage) ? "" : ": " + registryMessage)}";
        string prefix = $"Registry {Registry} refused {what} ({detail}).";

        (string code, string hint) = (status, registryCode, step) switch
        {
            (401, _, _) => (OciErrorCodes.Unauthorized, credentials is null
                ? $"It requires authentication and no credentials were found. Run 'docker login {Registry}', set {RegistryCredentialResolver.UsernameVariable} and {RegistryCredentialResolver.PasswordVariable}, or pass the user name and password explicitly."
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

    private static async Task<(string? Code, string? Message)> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length == 0 || body.Length > MaxErrorBodyBytes)
            {
                return (null, null);
            }

            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object &&
                json.RootElement.TryGetProperty("errors", out var errors) &&
                errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                string? code = first.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                string? message = first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
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
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
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
