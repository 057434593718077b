using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Mooring.TestFixtures;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>One request as a host of <see cref="HostileRegistry"/> received it.</summary>
public sealed record CapturedRequest(string Host, string Method, string Target, string Headers, byte[] Body)
{
    /// <summary>Everything a secret could hide in: request line (raw and URL-decoded), headers, body (raw and URL-decoded).</summary>
    public string Text
    {
        get
        {
            var body = Encoding.UTF8.GetString(Body);
            return $"{Method} {Target}\n{Uri.UnescapeDataString(Target)}\n{Headers}\n{body}\n{Uri.UnescapeDataString(body.Replace('+', ' '))}";
        }
    }

    public string? Header(string name) =>
        Headers.Split('\n').Select(l => l.Split(": ", 2)).FirstOrDefault(p => p.Length == 2 && string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase))?[1];

    public override string ToString() => $"{Method} http://{Host}{Target}";
}

/// <summary>A request to a <see cref="HostileRegistry"/> host and the means to answer it in hostile ways.</summary>
public sealed class HostileExchange(HttpListenerContext context, CapturedRequest request, CancellationToken stopping)
{
    public CapturedRequest Request { get; } = request;

    public HttpListenerResponse Response => context.Response;

    public string Path => context.Request.Url!.AbsolutePath;

    public string? Query(string name) => context.Request.QueryString[name];

    /// <summary>A complete answer, chunked (no Content-Length) when asked.</summary>
    public Task SendChunked(int status, string body, string contentType = "application/octet-stream")
    {
        Response.SendChunked = true;
        return Send(status, body, contentType, chunked: true);
    }

    /// <summary>A complete answer.</summary>
    public Task Send(int status, string body = "", string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Send(status, body, contentType, chunked: false, headers);

    private async Task Send(int status, string body, string contentType, bool chunked, params (string Name, string Value)[] headers)
    {
        Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            Response.AddHeader(name, value);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        Response.ContentType = contentType;
        if (!chunked)
        {
            Response.ContentLength64 = bytes.Length;
        }

        if (Request.Method != "HEAD" && bytes.Length > 0)
        {
            await Response.OutputStream.WriteAsync(bytes, stopping);
        }

        Response.Close();
    }

    /// <summary>A body that never ends (chunked, 64 KiB at a time) until the client hangs up or the fixture stops.</summary>
    public async Task SendEndless(int status, string contentType = "application/json")
    {
        Response.StatusCode = status;
        Response.ContentType = contentType;
        Response.SendChunked = true;
        var chunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Response.OutputStream.WriteAsync(chunk, stopping);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up: what the test wants.
        }
    }

    /// <summary>Headers and the first bytes of a body, then silence until the fixture stops.</summary>
    public async Task SendStalled(int status, string prefix, string contentType = "application/json", long? contentLength = null)
    {
        Response.StatusCode = status;
        Response.ContentType = contentType;
        if (contentLength is { } length)
        {
            Response.ContentLength64 = length;
        }
        else
        {
            Response.SendChunked = true;
        }

        try
        {
            await Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(prefix), stopping);
            await Response.OutputStream.FlushAsync(stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>
/// A scripted registry that misbehaves on purpose, on two hosts: <see cref="Address"/> (127.0.0.1, the registry the client is
/// given) and <see cref="OtherAddress"/> (127.0.0.2, standing for any other host: blob storage, an attacker's server). Every
/// request to either is captured with its headers and body, so a test can prove that no credential reached a host it does
/// not belong to.
/// </summary>
public sealed class HostileRegistry : IDisposable
{
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(HttpListener Listener, Task Loop)> _hosts = [];

    public HostileRegistry(Func<HostileExchange, Task> registry, Func<HostileExchange, Task>? other = null)
    {
        Address = Start("127.0.0.1", registry);
        OtherAddress = Start("127.0.0.2", other ?? (x => x.Send(404)));
    }

    /// <summary>The registry, <c>127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Another host, <c>127.0.0.2:port</c>.</summary>
    public string OtherAddress { get; }

    public IReadOnlyList<CapturedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<CapturedRequest> To(string address) => _requests.Where(r => r.Host == address).ToList();

    /// <summary>Fails when any request to <paramref name="address"/> carries one of the secrets, anywhere in it.</summary>
    public void AssertNoSecretReached(string address, params string[] secrets)
    {
        foreach (var request in To(address))
        {
            var text = request.Text;
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret reached {address}: {request}\n{text}");
            }
        }
    }

    /// <summary>The forms a user name and password take on the wire: the password itself and the Basic header's base64.</summary>
    public static string[] SecretForms(string user, string password)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        return [password, basic, basic.TrimEnd('=')];
    }

    private string Start(string ip, Func<HostileExchange, Task> handler)
    {
        var listener = LoopbackHttpListener.Start(ip, out var port);
        var address = $"{ip}:{port}";
        _hosts.Add((listener, Task.Run(() => LoopAsync(listener, address, handler))));
        return address;
    }

    private async Task LoopAsync(HttpListener listener, string address, Func<HostileExchange, Task> handler)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    var request = context.Request;
                    using var body = new MemoryStream();
                    if (request.HasEntityBody)
                    {
                        await request.InputStream.CopyToAsync(body);
                    }

                    var headers = string.Join('\n', request.Headers.AllKeys.Select(k => $"{k}: {request.Headers[k]}"));
                    var captured = new CapturedRequest(address, request.HttpMethod, request.RawUrl ?? "", headers, body.ToArray());
                    _requests.Enqueue(captured);
                    await handler(new HostileExchange(context, captured, _stopping.Token));
                }
                catch (Exception)
                {
                    try
                    {
                        context.Response.Abort();
                    }
                    catch (Exception)
                    {
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var (listener, loop) in _hosts)
        {
            HttpListeners.Close(listener);

            loop.Wait(TimeSpan.FromSeconds(5));
        }

        _stopping.Dispose();
    }
}
