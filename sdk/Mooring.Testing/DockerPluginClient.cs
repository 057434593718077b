using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Mooring.Testing;

/// <summary>
/// Talks to a volume plugin's unix socket exactly as dockerd does: <c>POST /VolumeDriver.X HTTP/1.1</c>, an empty
/// <c>Host</c>, <c>User-Agent: Go-http-client/1.1</c>, <c>Accept: application/vnd.docker.plugins.v1.2+json</c>,
/// <c>Accept-Encoding: gzip</c>, no <c>Content-Type</c>, and bodies from Go's <c>json.Encoder</c> (with the trailing
/// newline; <c>"Opts":null</c> on implicit creates; an empty body for Activate). Answers are decoded with Go's rules,
/// and each result carries the error message dockerd would show.
/// </summary>
/// <remarks>Idle connections are kept for reuse (dockerd keeps up to 6); a request on a reused connection that the
/// plugin closed meanwhile is retried once on a new connection, as Go's transport does.</remarks>
public sealed class DockerPluginClient : IAsyncDisposable
{
    /// <summary>The <c>Accept</c> header dockerd sends.</summary>
    public const string AcceptHeader = "application/vnd.docker.plugins.v1.2+json";

    private const int MaxIdleConnections = 6;

    private readonly ConcurrentBag<PluginConnection> _idle = [];
    private bool _disposed;

    /// <summary>Creates a client for the plugin listening on <paramref name="socketPath"/>.</summary>
    /// <param name="socketPath">The plugin's unix socket.</param>
    public DockerPluginClient(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        SocketPath = socketPath;
    }

    /// <summary>The plugin's unix socket.</summary>
    public string SocketPath { get; }

    /// <summary>The <c>Host</c> header value. Default empty, as Debian's dockerd 20.10 sends it; newer daemons send
    /// <c>plugin.moby.localhost</c>.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Whether idle connections are reused (default <see langword="true"/>).</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>The deadline of Create and Mount calls (dockerd: 2 minutes).</summary>
    public TimeSpan LongTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The deadline of every other call (dockerd: 1 minute).</summary>
    public TimeSpan ShortTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>/Plugin.Activate</c> with an empty body; the value is the <c>Implements</c> list.</summary>
    /// <param name="cancellationToken">Cancels the call (the connection is closed, as dockerd does).</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<IReadOnlyList<string>>> ActivateAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("/Plugin.Activate", ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        return Decode<IReadOnlyList<string>>("Plugin.Activate", response, static (root, ref error) =>
        {
            if (!GoJsonDecoder.TryGetField(root, "Implements", out var implements) || implements.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (implements.ValueKind != JsonValueKind.Array)
            {
                error = $"json: cannot unmarshal {GoJsonDecoder.Kind(implements)} into Go struct field .Implements of type []string";
                return null;
            }

            return implements.EnumerateArray().Select(static e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray();
        });
    }

    /// <summary><c>/VolumeDriver.Create</c> with <c>{"Name","Opts"}</c>.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="options">The <c>-o</c> options; <see langword="null"/> sends <c>"Opts":null</c>, as dockerd does
    /// when a volume is created implicitly by <c>docker run -v</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult> CreateAsync(string name, IReadOnlyDictionary<string, string>? options = null, CancellationToken cancellationToken = default)
    {
        var body = GoJsonEncoder.Encode(b =>
        {
            b.Append("{\"Name\":");
            GoJsonEncoder.String(b, name);
            b.Append(",\"Opts\":");
            GoJsonEncoder.StringMap(b, options);
            b.Append('}');
        });
        return DecodeEmpty("VolumeDriver.Create", await SendAsync("/VolumeDriver.Create", body, LongTimeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>/VolumeDriver.Remove</c> with <c>{"Name"}</c>.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult> RemoveAsync(string name, CancellationToken cancellationToken = default) =>
        DecodeEmpty("VolumeDriver.Remove", await SendAsync("/VolumeDriver.Remove", NameBody(name), ShortTimeout, cancellationToken).ConfigureAwait(false));

    /// <summary><c>/VolumeDriver.Mount</c> with <c>{"Name","ID"}</c>; the value is the Mountpoint.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">The mount ID (dockerd sends 64 random hex digits per mount point).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<string>> MountAsync(string name, string id, CancellationToken cancellationToken = default) =>
        DecodeMountpoint("VolumeDriver.Mount", await SendAsync("/VolumeDriver.Mount", NameIdBody(name, id), LongTimeout, cancellationToken).ConfigureAwait(false));

    /// <summary><c>/VolumeDriver.Unmount</c> with <c>{"Name","ID"}</c>.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="id">The ID given to the matching Mount.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult> UnmountAsync(string name, string id, CancellationToken cancellationToken = default) =>
        DecodeEmpty("VolumeDriver.Unmount", await SendAsync("/VolumeDriver.Unmount", NameIdBody(name, id), ShortTimeout, cancellationToken).ConfigureAwait(false));

    /// <summary><c>/VolumeDriver.Path</c> with <c>{"Name"}</c>; the value is the Mountpoint (empty when not mounted).</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<string>> PathAsync(string name, CancellationToken cancellationToken = default) =>
        DecodeMountpoint("VolumeDriver.Path", await SendAsync("/VolumeDriver.Path", NameBody(name), ShortTimeout, cancellationToken).ConfigureAwait(false));

    /// <summary><c>/VolumeDriver.Get</c> with <c>{"Name"}</c>; the value is the volume, or <see langword="null"/>
    /// when the plugin answered <c>"Volume":null</c> or failed.</summary>
    /// <param name="name">The volume name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<DockerVolume>> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("/VolumeDriver.Get", NameBody(name), ShortTimeout, cancellationToken).ConfigureAwait(false);
        return Decode("VolumeDriver.Get", response, static (root, ref error) =>
            GoJsonDecoder.TryGetField(root, "Volume", out var volume) ? GoJsonDecoder.ReadVolume(volume, ref error) : null);
    }

    /// <summary><c>/VolumeDriver.List</c> with <c>{}</c>; the value is the volumes.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<IReadOnlyList<DockerVolume>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("/VolumeDriver.List", EmptyObject(), ShortTimeout, cancellationToken).ConfigureAwait(false);
        return Decode<IReadOnlyList<DockerVolume>>("VolumeDriver.List", response, static (root, ref error) =>
        {
            if (!GoJsonDecoder.TryGetField(root, "Volumes", out var volumes) || volumes.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (volumes.ValueKind != JsonValueKind.Array)
            {
                error = $"json: cannot unmarshal {GoJsonDecoder.Kind(volumes)} into Go struct field .Volumes of type []*volume";
                return null;
            }

            var list = new List<DockerVolume>();
            foreach (var item in volumes.EnumerateArray())
            {
                if (GoJsonDecoder.ReadVolume(item, ref error) is { } volume)
                {
                    list.Add(volume);
                }
            }

            return list;
        });
    }

    /// <summary><c>/VolumeDriver.Capabilities</c> with <c>{}</c>; the value is the Scope as sent (dockerd lower-cases
    /// it and treats anything but <c>global</c>, and any failure, as <c>local</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PluginCallResult<string>> CapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("/VolumeDriver.Capabilities", EmptyObject(), ShortTimeout, cancellationToken).ConfigureAwait(false);
        return Decode("VolumeDriver.Capabilities", response, static (root, ref error) =>
            GoJsonDecoder.TryGetField(root, "Capabilities", out var capabilities) && capabilities.ValueKind == JsonValueKind.Object
                ? GoJsonDecoder.GetString(capabilities, "Scope", ref error)
                : null);
    }

    /// <summary>Sends a body verbatim to <paramref name="path"/> with dockerd's headers (hostile-input tests).</summary>
    /// <param name="path">The request path, e.g. <c>/VolumeDriver.Mount</c>.</param>
    /// <param name="body">The exact body bytes (nothing is appended).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The raw response.</returns>
    public Task<PluginHttpResponse> SendAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        SendAsync(path, body, ShortTimeout, cancellationToken);

    /// <summary>Sends a request with another method (e.g. <c>GET</c>) and dockerd's headers.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The raw response.</returns>
    public Task<PluginHttpResponse> SendAsync(string method, string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ExchangeAsync(BuildRequest(method, path, body, extraHeaders: null), ShortTimeout, cancellationToken);

    /// <summary>Sends bytes verbatim as the whole request (request line, headers and body) on a new connection, and
    /// reads one response. For framing tests: chunked bodies, odd headers, missing Host.</summary>
    /// <param name="request">The complete request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The raw response.</returns>
    public async Task<PluginHttpResponse> SendRawAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ShortTimeout);
        await using var connection = await PluginConnection.OpenAsync(SocketPath, deadline.Token).ConfigureAwait(false);
        return await connection.ExchangeAsync(request, deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Builds the exact bytes dockerd sends for a POST to <paramref name="path"/> with <paramref name="body"/>.</summary>
    /// <param name="path">The request path.</param>
    /// <param name="body">The body.</param>
    /// <returns>The request bytes.</returns>
    public byte[] BuildRequest(string path, ReadOnlyMemory<byte> body) => BuildRequest("POST", path, body, extraHeaders: null);

    /// <summary>The body dockerd sends for <c>{"Name": name}</c> requests, e.g. <c>{"Name":"x"}\n</c>.</summary>
    /// <param name="name">The volume name.</param>
    /// <returns>The body.</returns>
    public static byte[] NameBody(string name) => GoJsonEncoder.Encode(b =>
    {
        b.Append("{\"Name\":");
        GoJsonEncoder.String(b, name);
        b.Append('}');
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static byte[] NameIdBody(string name, string id) => GoJsonEncoder.Encode(b =>
    {
        b.Append("{\"Name\":");
        GoJsonEncoder.String(b, name);
        b.Append(",\"ID\":");
        GoJsonEncoder.String(b, id);
        b.Append('}');
    });

    private static byte[] EmptyObject() => "{}\n"u8.ToArray();

    private Task<PluginHttpResponse> SendAsync(string path, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExchangeAsync(BuildRequest("POST", path, body, extraHeaders: null), timeout, cancellationToken);

    private byte[] BuildRequest(string method, string path, ReadOnlyMemory<byte> body, string? extraHeaders)
    {
        // Go writes Host and User-Agent first, then Content-Length, then the remaining headers sorted by name; its
        // transport adds Accept-Encoding last. No Content-Type: moby's plugin client never sets one.
        var head = new StringBuilder(256)
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(Host).Append("\r\n")
            .Append("User-Agent: Go-http-client/1.1\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Accept: ").Append(AcceptHeader).Append("\r\n")
            .Append(extraHeaders)
            .Append("Accept-Encoding: gzip\r\n")
            .Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var request = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(request, 0);
        body.Span.CopyTo(request.AsSpan(headBytes.Length));
        return request;
    }

    private async Task<PluginHttpResponse> ExchangeAsync(byte[] request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var retried = false;
        while (true)
        {
            PluginConnection? idle = null;
            var reused = KeepAlive && _idle.TryTake(out idle);
            var connection = reused ? idle! : await PluginConnection.OpenAsync(SocketPath, deadline.Token).ConfigureAwait(false);

            PluginHttpResponse response;
            try
            {
                // Cancelling closes the socket, as Go's transport does when a request's context ends: the plugin
                // sees the connection go away.
                await using var closeOnCancel = deadline.Token.UnsafeRegister(static c => ((PluginConnection)c!).DisposeAsync(), connection).ConfigureAwait(false);
                response = await connection.ExchangeAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (reused && !retried && ex is IOException or SocketException && !deadline.IsCancellationRequested)
            {
                // The plugin closed the idle connection before our request reached it.
                await connection.DisposeAsync().ConfigureAwait(false);
                retried = true;
                continue;
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"the plugin did not answer within {timeout.TotalSeconds:0.#} s", ex);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            if (KeepAlive && connection.Reusable && !_disposed && _idle.Count < MaxIdleConnections)
            {
                _idle.Add(connection);
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return response;
        }
    }

    private delegate T? Reader<T>(JsonElement root, ref string? error);

    private static PluginCallResult<T> Decode<T>(string endpoint, PluginHttpResponse response, Reader<T> read)
    {
        string? err = null;
        string? error = null;
        T? value = default;
        if (GoJsonDecoder.TryParse(response.Body, out var root, out var parseError))
        {
            err = GoJsonDecoder.GetString(root, "Err", ref error);
            if (response.StatusCode == 200 && string.IsNullOrEmpty(err))
            {
                value = read(root, ref error);
            }
        }
        else if (response.StatusCode == 200)
        {
            error = parseError;
        }

        return new PluginCallResult<T>(endpoint, response, err, response.StatusCode == 200 ? error : null, error is null ? value : default);
    }

    private static PluginCallResult DecodeEmpty(string endpoint, PluginHttpResponse response) =>
        Decode<object>(endpoint, response, static (_, ref _) => null);

    private static PluginCallResult<string> DecodeMountpoint(string endpoint, PluginHttpResponse response) =>
        Decode(endpoint, response, static (root, ref error) => GoJsonDecoder.GetString(root, "Mountpoint", ref error) ?? string.Empty);
}
