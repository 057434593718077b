using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Mooring.Oci.Auth;
using Mooring.Oci.Manifests;
using Mooring.Oci.References;
using Mooring.Text;

namespace Mooring.Oci.Registry;

/// <summary>
/// A client for one registry speaking the Docker Registry HTTP API v2: blob existence checks, uploads (monolithic with a
/// chunked fallback), cross-repository mounts, manifest push and pull, and blob download. Authentication (anonymous, Basic,
/// Bearer tokens) happens on demand when the registry asks for it. Thread-safe; dispose it when done.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly RegistryTransport _transport;
    private readonly RegistryAuthenticator _auth;
    private readonly RegistryClientOptions _options;

    /// <summary>Creates a client for a registry.</summary>
    /// <param name="registry">The registry as written in a reference (<c>docker.io</c>, <c>ghcr.io</c>, <c>127.0.0.1:5000</c>).</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    public RegistryClient(string registry, RegistryClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        _options = options ?? new RegistryClientOptions();
        _options.Validate();
        var host = ImageReference.IsDockerHub(registry) ? ImageReference.DockerHubApiHost : registry;
        Registry = ImageReference.IsDockerHub(registry) ? ImageReference.DockerHub : registry;
        _transport = new RegistryTransport(Registry, host, _options);
        _auth = new RegistryAuthenticator(_transport);
    }

    /// <summary>The registry this client talks to, as written in references.</summary>
    public string Registry { get; }

    /// <summary>The base URI of API requests (<c>https://host/</c>, or <c>http://</c> for loopback and insecure registries).</summary>
    public Uri BaseUri => _transport.BaseUri;

    /// <summary>Checks whether a repository has a blob (<c>HEAD /v2/&lt;repo&gt;/blobs/&lt;digest&gt;</c>).</summary>
    /// <param name="repository">The repository, for example <c>team/plugin</c>.</param>
    /// <param name="digest">The blob digest.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="RegistryException">The registry could not be reached or refused the request.</exception>
    public Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken = default) =>
        BlobExistsAsync(new RepositoryAccess(repository, Push: false), digest, cancellationToken);

    /// <summary>
    /// Makes sure a repository has a blob: <c>HEAD</c> first (nothing is sent when it exists), then a cross-repository mount
    /// from <paramref name="mountFrom"/> when given, then an upload: <c>POST</c> + one <c>PUT</c>, falling back to chunked
    /// <c>PATCH</c>es (or chunked from the start with <see cref="RegistryClientOptions.ForceChunkedUpload"/>).
    /// </summary>
    /// <param name="repository">The target repository.</param>
    /// <param name="blob">The content.</param>
    /// <param name="mountFrom">A repository of the same registry that may already hold the blob, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    /// <returns>Whether the blob was skipped, mounted or uploaded.</returns>
    /// <exception cref="RegistryException">The registry could not be reached or refused the upload.</exception>
    public async Task<BlobPushOutcome> PushBlobAsync(string repository, BlobContent blob, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(blob);
        var access = new RepositoryAccess(repository, Push: true, mountFrom is null || mountFrom == repository ? null : mountFrom);
        if (await BlobExistsAsync(access, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            Report(RegistryProgressKind.BlobSkipped, repository, blob.Digest, 0, blob.Length);
            return BlobPushOutcome.Skipped;
        }

        Uri? session = null;
        if (access.MountFrom is not null)
        {
            session = await TryMountAsync(access, blob, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                Report(RegistryProgressKind.BlobMounted, repository, blob.Digest, 0, blob.Length);
                return BlobPushOutcome.Mounted;
            }
        }

        await UploadAsync(access, blob, session, cancellationToken).ConfigureAwait(false);
        Report(RegistryProgressKind.BlobUploaded, repository, blob.Digest, blob.Length, blob.Length);
        return BlobPushOutcome.Uploaded;
    }

    /// <summary>Pushes a manifest under a tag or digest (<c>PUT /v2/&lt;repo&gt;/manifests/&lt;reference&gt;</c>).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="reference">A tag, or the manifest's own digest.</param>
    /// <param name="manifest">The exact manifest bytes.</param>
    /// <param name="mediaType">The manifest media type, sent as <c>Content-Type</c>.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The manifest digest (<c>sha256:</c> of <paramref name="manifest"/>).</returns>
    /// <exception cref="RegistryException">The registry refused the manifest (<see cref="OciErrorCodes.ManifestRejected"/>) or another failure.</exception>
    public async Task<string> PushManifestAsync(string repository, string reference, ReadOnlyMemory<byte> manifest, string mediaType = MediaTypes.DockerManifestV2, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var digest = Digests.Sha256(manifest.Span);
        var access = new RepositoryAccess(repository, Push: true);
        var bytes = manifest.ToArray();
        var what = $"the manifest push of {repository}:{reference}";
        using var response = await SendAsync(RegistryStep.PushManifest, what, access, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, Api(repository, "manifests", reference)) { Content = content };
        }, bufferBody: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw await ErrorAsync(RegistryStep.PushManifest, what, response, cancellationToken).ConfigureAwait(false);
        }

        if (response.Headers.TryGetValues("Docker-Content-Digest", out var echoed) && echoed.FirstOrDefault() is { Length: > 0 } stored && stored != digest)
        {
            throw new RegistryException(OciErrorCodes.DigestMismatch, Registry, RegistryStep.PushManifest, response.StatusCode, null,
                $"Registry {Registry} stored the manifest {repository}:{reference} under digest {UntrustedText.Escape(stored, 100)}, not {digest}: it rewrote the manifest. Pull it by tag instead of by digest, or use another registry.");
        }

        Report(RegistryProgressKind.ManifestPushed, repository, digest, bytes.Length, bytes.Length, reference);
        return digest;
    }

    /// <summary>Reads a manifest or index, accepting Docker schema2, Docker manifest lists, OCI manifests and OCI indexes.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="reference">A tag or digest.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The exact bytes, media type and digest. When <paramref name="reference"/> is a digest, the content is verified against it.</returns>
    /// <exception cref="RegistryException">Not found (<see cref="OciErrorCodes.NotFound"/>), a digest mismatch, or another failure.</exception>
    public Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default) =>
        GetManifestAsync(repository, reference, forPush: false, cancellationToken);

    /// <summary>
    /// <see cref="GetManifestAsync(string, string, CancellationToken)"/>; with <paramref name="forPush"/> it asks for the push
    /// scope (which includes pull), so a push that checks its tags (PluginPackage.PushAsync) reuses its uploads' token.
    /// </summary>
    internal async Task<ManifestContent> GetManifestAsync(string repository, string reference, bool forPush, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var what = $"the manifest read of {repository}:{reference}";
        using var response = await SendAsync(RegistryStep.GetManifest, what, new RepositoryAccess(repository, Push: forPush), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Api(repository, "manifests", reference));
            request.Headers.TryAddWithoutValidation("Accept", MediaTypes.ManifestAccept);
            return request;
        }, bufferBody: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(RegistryStep.GetManifest, what, response, cancellationToken).ConfigureAwait(false);
        }

        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = Digests.Sha256(content);
        if (Digests.IsValid(reference) && reference != digest)
        {
            throw new RegistryException(OciErrorCodes.DigestMismatch, Registry, RegistryStep.GetManifest, response.StatusCode, null,
                $"Registry {Registry} served a manifest for {repository}@{reference} whose digest is {digest}. The registry or a proxy altered it; do not use it.");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType == "application/json" || mediaType == "text/plain")
        {
            mediaType = ReadMediaTypeField(content) ?? mediaType ?? "";
        }

        // Callers quote an unknown media type in their messages; escaping cannot turn it into a known one.
        mediaType = UntrustedText.Escape(mediaType, 255);

        return new ManifestContent(content, mediaType, digest);
    }

    /// <summary>Downloads a blob into a stream, verifying its digest. Prefer the <see cref="Descriptor"/> overload when the size is known.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="digest">The blob digest.</param>
    /// <param name="destination">Where to write the bytes.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <exception cref="RegistryException">Not found, a digest mismatch (<see cref="OciErrorCodes.DigestMismatch"/>), a stalled answer, or another failure.</exception>
    public Task CopyBlobAsync(string repository, string digest, Stream destination, CancellationToken cancellationToken = default) =>
        CopyBlobAsync(repository, digest, null, destination, cancellationToken);

    /// <summary>
    /// Downloads a blob into a stream, verifying its size and digest against the descriptor from the manifest: a registry that
    /// announces or sends more than <see cref="Descriptor.Size"/> bytes is cut off at that point, so a hostile registry cannot
    /// fill the disk.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="blob">The descriptor: digest and size in bytes.</param>
    /// <param name="destination">Where to write the bytes.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <exception cref="RegistryException">
    /// Not found, more bytes than the descriptor's size (<see cref="OciErrorCodes.ResponseTooLarge"/>), fewer bytes or other content
    /// (<see cref="OciErrorCodes.DigestMismatch"/>), a stalled answer, or another failure.
    /// </exception>
    public Task CopyBlobAsync(string repository, Descriptor blob, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blob), blob.Size, "The blob size cannot be negative.");
        }

        return CopyBlobAsync(repository, blob.Digest, blob.Size, destination, cancellationToken);
    }

    private async Task CopyBlobAsync(string repository, string digest, long? size, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Digests.IsValid(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest.", nameof(digest));
        }

        var what = $"the download of blob {digest} from {repository}";
        using var response = await SendAsync(RegistryStep.GetBlob, what, new RepositoryAccess(repository, Push: false),
            () => new HttpRequestMessage(HttpMethod.Get, Api(repository, "blobs", digest)), bufferBody: false, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(RegistryStep.GetBlob, what, response, cancellationToken).ConfigureAwait(false);
        }

        if (size is { } expected && response.Content.Headers.ContentLength is { } announced && announced != expected)
        {
            throw SizeMismatch(repository, digest, expected, $"announced {announced} bytes", announced > expected);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[81920];
        while (true)
        {
            int read;
            try
            {
                read = await ResponseBody.ReadAsync(body, buffer, _options.ResponseIdleTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // Not retried: part of the blob is already in the destination.
                throw _transport.Unreachable(RegistryStep.GetBlob, what, e, 1);
            }

            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > size)
            {
                throw SizeMismatch(repository, digest, size.Value, "sent more", tooLarge: true);
            }

            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        if (size is { } length && total != length)
        {
            throw SizeMismatch(repository, digest, length, $"sent {total} bytes", tooLarge: false);
        }

        var actual = Digests.Format(hash.GetHashAndReset());
        if (actual != digest)
        {
            throw new RegistryException(OciErrorCodes.DigestMismatch, Registry, RegistryStep.GetBlob, response.StatusCode, null,
                $"Registry {Registry} served blob {digest} of {repository} with the wrong content (digest {actual}). The download is corrupt; try again.");
        }
    }

    private RegistryException SizeMismatch(string repository, string digest, long expected, string detail, bool tooLarge) =>
        new(tooLarge ? OciErrorCodes.ResponseTooLarge : OciErrorCodes.DigestMismatch, Registry, RegistryStep.GetBlob, HttpStatusCode.OK, null,
            $"Registry {Registry} served blob {digest} of {repository} with the wrong size: the manifest says {expected} bytes, the registry {detail}. The download was stopped and is not used; the registry or a proxy is misbehaving.");

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    private async Task<bool> BlobExistsAsync(RepositoryAccess access, string digest, CancellationToken cancellationToken)
    {
        if (!Digests.IsValid(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest.", nameof(digest));
        }

        var what = $"the check for blob {digest} in {access.Repository}";
        using var response = await SendAsync(RegistryStep.CheckBlob, what, access,
            () => new HttpRequestMessage(HttpMethod.Head, Api(access.Repository, "blobs", digest)), bufferBody: true, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await ErrorAsync(RegistryStep.CheckBlob, what, response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Returns <see langword="null"/> when mounted, else the upload session the registry opened instead.</summary>
    private async Task<Uri?> TryMountAsync(RepositoryAccess access, BlobContent blob, CancellationToken cancellationToken)
    {
        var what = $"the mount of blob {blob.Digest} from {access.MountFrom} into {access.Repository}";
        var uri = new Uri(Api(access.Repository, "blobs", "uploads/").AbsoluteUri +
            $"?mount={Uri.EscapeDataString(blob.Digest)}&from={Uri.EscapeDataString(access.MountFrom!)}");
        using var response = await SendAsync(RegistryStep.MountBlob, what, access,
            () => new HttpRequestMessage(HttpMethod.Post, uri), bufferBody: true, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => null,
            HttpStatusCode.Accepted => Location(response, uri, RegistryStep.MountBlob),
            _ => throw await ErrorAsync(RegistryStep.MountBlob, what, response, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<Uri> StartUploadAsync(RepositoryAccess access, string digest, CancellationToken cancellationToken)
    {
        var what = $"the start of the upload of blob {digest} to {access.Repository}";
        var uri = Api(access.Repository, "blobs", "uploads/");
        using var response = await SendAsync(RegistryStep.StartUpload, what, access,
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) }, bufferBody: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await ErrorAsync(RegistryStep.StartUpload, what, response, cancellationToken).ConfigureAwait(false);
        }

        return Location(response, uri, RegistryStep.StartUpload);
    }

    /// <summary>
    /// Uploads the blob into <paramref name="session"/> (or a new one). The <c>PATCH</c> and <c>PUT</c> requests are not repeated:
    /// after a 5xx or a broken connection the registry may hold part of them, so the upload starts over from a fresh
    /// <c>POST</c>, up to <see cref="RegistryClientOptions.MaxRetries"/> times.
    /// </summary>
    private async Task UploadAsync(RepositoryAccess access, BlobContent blob, Uri? session, CancellationToken cancellationToken)
    {
        var delay = _options.RetryBaseDelay;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (_options.ForceChunkedUpload)
                {
                    await UploadChunkedAsync(access, blob, session, cancellationToken).ConfigureAwait(false);
                }
                else if (!await TryUploadMonolithicAsync(access, blob, session, cancellationToken).ConfigureAwait(false))
                {
                    // The refused session is spent; chunks go to a new one.
                    await UploadChunkedAsync(access, blob, null, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RegistryException e) when (attempt < _options.MaxRetries && e.Step == RegistryStep.UploadBlob &&
                                              (e.Code == OciErrorCodes.Unreachable || (int?)e.StatusCode >= 500))
            {
                session = null;
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    /// <summary>One <c>PUT</c> with the whole blob. Returns <see langword="false"/> when the registry refuses it in a way chunks may fix.</summary>
    private async Task<bool> TryUploadMonolithicAsync(RepositoryAccess access, BlobContent blob, Uri? session, CancellationToken cancellationToken)
    {
        session ??= await StartUploadAsync(access, blob.Digest, cancellationToken).ConfigureAwait(false);
        var what = $"the upload of blob {blob.Digest} to {access.Repository}";
        var target = WithQuery(session, "digest", blob.Digest);
        using var response = await SendAsync(RegistryStep.UploadBlob, what, access, () =>
        {
            var stream = new ProgressReadStream(blob.OpenRead(), sent => Report(RegistryProgressKind.BlobUploading, access.Repository, blob.Digest, sent, blob.Length));
            var content = new StreamContent(stream, 81920);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = blob.Length;
            return new HttpRequestMessage(HttpMethod.Put, target) { Content = content };
        }, bufferBody: true, cancellationToken, idempotent: false).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 and not (401 or 403 or 404))
        {
            // Proxies with body limits (413), registries that want PATCH (405/400): try chunks.
            return false;
        }

        throw await ErrorAsync(RegistryStep.UploadBlob, what, response, cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadChunkedAsync(RepositoryAccess access, BlobContent blob, Uri? session, CancellationToken cancellationToken)
    {
        session ??= await StartUploadAsync(access, blob.Digest, cancellationToken).ConfigureAwait(false);
        var what = $"the chunked upload of blob {blob.Digest} to {access.Repository}";
        var buffer = new byte[(int)Math.Min(_options.ChunkSize, Math.Max(blob.Length, 1))];
        await using (var source = blob.OpenRead())
        {
            long offset = 0;
            while (offset < blob.Length)
            {
                var filled = 0;
                while (filled < buffer.Length)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                }

                if (filled == 0)
                {
                    throw new IOException($"The blob {blob.Digest} ended after {offset} of {blob.Length} bytes; it changed while being uploaded.");
                }

                var chunkUri = session;
                var start = offset;
                var length = filled;
                using var response = await SendAsync(RegistryStep.UploadBlob, what, access, () =>
                {
                    var content = new ByteArrayContent(buffer, 0, length);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    content.Headers.ContentLength = length;
                    // Written by hand: some registries (ACR) reject the "bytes a-b/n" form .NET produces.
                    content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
                    return new HttpRequestMessage(HttpMethod.Patch, chunkUri) { Content = content };
                }, bufferBody: true, cancellationToken, idempotent: false).ConfigureAwait(false);
                if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.NoContent or HttpStatusCode.Created))
                {
                    throw await ErrorAsync(RegistryStep.UploadBlob, what, response, cancellationToken).ConfigureAwait(false);
                }

                session = response.Headers.Location is null ? session : Location(response, session, RegistryStep.UploadBlob);
                offset += length;
                Report(RegistryProgressKind.BlobUploading, access.Repository, blob.Digest, offset, blob.Length);
            }
        }

        var finish = WithQuery(session, "digest", blob.Digest);
        using var done = await SendAsync(RegistryStep.UploadBlob, what, access,
            () => new HttpRequestMessage(HttpMethod.Put, finish) { Content = new ByteArrayContent([]) }, bufferBody: true, cancellationToken, idempotent: false).ConfigureAwait(false);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw await ErrorAsync(RegistryStep.UploadBlob, what, done, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends an API request with whatever authorisation earlier challenges taught us, and answers a new challenge once per round.
    /// Credentials and tokens go only to the registry's own origin (<see cref="BaseUri"/>): an upload location on another host
    /// gets the request without them, and a 401 from another host (reached by a location or a redirect) is not answered.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(RegistryStep step, string what, RepositoryAccess access, Func<HttpRequestMessage> create, bool bufferBody, CancellationToken cancellationToken, bool idempotent = true)
    {
        for (var round = 0; ; round++)
        {
            var header = _auth.CurrentHeader(access);
            var response = await _transport.SendAsync(step, what, () =>
            {
                var request = create();
                if (RegistryEndpoint.SameOrigin(request.RequestUri!, BaseUri))
                {
                    request.Headers.Authorization = header;
                }

                return request;
            }, bufferBody, cancellationToken, idempotent).ConfigureAwait(false);

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && round < 3 &&
                response.RequestMessage?.RequestUri is { } answered && RegistryEndpoint.SameOrigin(answered, BaseUri) &&
                await _auth.HandleChallengeAsync(response, access, header, cancellationToken).ConfigureAwait(false))
            {
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    private Task<RegistryException> ErrorAsync(RegistryStep step, string what, HttpResponseMessage response, CancellationToken cancellationToken) =>
        _transport.CreateErrorAsync(step, what, response, _auth.Credentials, _auth.Clean, cancellationToken);

    private Uri Api(string repository, string kind, string reference) => new(BaseUri, $"v2/{repository}/{kind}/{reference}");

    private Uri Location(HttpResponseMessage response, Uri requestUri, RegistryStep step)
    {
        var location = response.Headers.Location ?? throw new RegistryException(OciErrorCodes.UnexpectedResponse, Registry, step, response.StatusCode, null,
            $"Registry {Registry} answered {(int)response.StatusCode} without a Location header for the upload session. This registry does not follow the distribution API.");
        // Registries send absolute URLs or paths; both resolve against the request. Another host is allowed (storage behind the
        // registry) but gets no credentials (see SendAsync); plain http to a host that is not loopback or listed is refused.
        var target = location.IsAbsoluteUri ? location : new Uri(requestUri, location);
        _transport.EnsureMayRequest(step, "the blob upload", target, "the upload location");
        return target;
    }

    private static Uri WithQuery(Uri uri, string name, string value) =>
        new(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? "?" : "&") + name + "=" + Uri.EscapeDataString(value));

    private void Report(RegistryProgressKind kind, string repository, string digest, long sent, long total, string? reference = null) =>
        _options.Progress?.Report(new RegistryProgress(kind, repository, digest, sent, total, reference));

    private static string? ReadMediaTypeField(byte[] content)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
