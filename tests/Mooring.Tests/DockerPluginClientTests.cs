using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Mooring.TestFixtures;
using Mooring.Testing;

namespace Mooring.Tests;

/// <summary>The test client's bytes on the wire, and its dockerd-like reading of answers, against a canned server.</summary>
public sealed class DockerPluginClientTests
{
    [Fact]
    public async Task Create_is_sent_byte_for_byte_as_dockerd_sends_it()
    {
        var (request, _) = await CaptureAsync(c => c.CreateAsync("v<1>", new Dictionary<string, string> { ["size"] = "1g", ["Z"] = "a&b", ["a"] = "\"q\"\n" }), Ok("{}"));
        Assert.Equal(
            "POST /VolumeDriver.Create HTTP/1.1\r\n" +
            "Host: \r\n" +
            "User-Agent: Go-http-client/1.1\r\n" +
            "Content-Length: 76\r\n" +
            "Accept: application/vnd.docker.plugins.v1.2+json\r\n" +
            "Accept-Encoding: gzip\r\n" +
            "\r\n" +
            "{\"Name\":\"v\\u003c1\\u003e\",\"Opts\":{\"Z\":\"a\\u0026b\",\"a\":\"\\\"q\\\"\\n\",\"size\":\"1g\"}}\n",
            request);
    }

    [Fact]
    public async Task Implicit_create_sends_Opts_null_and_Activate_an_empty_body()
    {
        var (create, _) = await CaptureAsync(c => c.CreateAsync("v"), Ok("{}"));
        Assert.EndsWith("\r\n\r\n{\"Name\":\"v\",\"Opts\":null}\n", create);
        var (activate, _) = await CaptureAsync(c => c.ActivateAsync(), Ok("{\"Implements\":[\"VolumeDriver\"]}"));
        Assert.Contains("Content-Length: 0\r\n", activate);
        Assert.EndsWith("\r\n\r\n", activate);
        Assert.DoesNotContain("Content-Type", activate, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Mount_List_and_Capabilities_bodies_match_dockerd()
    {
        Assert.EndsWith("\r\n\r\n{\"Name\":\"v\",\"ID\":\"abc\"}\n", (await CaptureAsync(c => c.MountAsync("v", "abc"), Ok("{\"Mountpoint\":\"/data/v\"}"))).Request);
        Assert.EndsWith("\r\n\r\n{}\n", (await CaptureAsync(c => c.ListAsync(), Ok("{\"Volumes\":[]}"))).Request);
        Assert.EndsWith("\r\n\r\n{}\n", (await CaptureAsync(c => c.CapabilitiesAsync(), Ok("{}"))).Request);
        Assert.EndsWith("\r\n\r\n{\"Name\":\"v\"}\n", (await CaptureAsync(c => c.GetAsync("v"), Ok("{}"))).Request);
    }

    [Fact]
    public async Task An_empty_CreatedAt_fails_the_call_as_it_does_in_dockerd()
    {
        var (_, result) = await CaptureAsync(c => c.GetAsync("v"), Ok("{\"Volume\":{\"Name\":\"v\",\"CreatedAt\":\"\"}}"));
        Assert.False(result.IsSuccess);
        Assert.Contains("parsing time \"\"", result.Error);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Answers_are_decoded_with_go_rules()
    {
        var (_, result) = await CaptureAsync(c => c.GetAsync("v"), Ok("{\"volume\":{\"name\":\"v\",\"MOUNTPOINT\":\"/data/v\",\"CreatedAt\":\"2026-01-02T03:04:05.5+01:00\",\"Status\":{\"n\":1},\"Extra\":true}}"));
        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("v", result.Value!.Name);
        Assert.Equal("/data/v", result.Value.Mountpoint);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 4, 5, 500, TimeSpan.Zero), result.Value.CreatedAt);
        Assert.Equal(1, result.Value.Status!["n"].GetInt32());

        var (_, wrongType) = await CaptureAsync(c => c.MountAsync("v", "i"), Ok("{\"Mountpoint\":5}"));
        Assert.StartsWith("json: cannot unmarshal number", wrongType.Error);
    }

    [Fact]
    public async Task Errors_read_like_dockerd_reports_them()
    {
        var (_, ok200Err) = await CaptureAsync(c => c.RemoveAsync("v"), Ok("{\"Err\":\"busy\"}"));
        Assert.Equal("busy", ok200Err.Error);
        var (_, json500) = await CaptureAsync(c => c.RemoveAsync("v"), Response(500, "{\"Err\":\"busy\"}"));
        Assert.Equal("VolumeDriver.Remove: busy", json500.Error);
        var (_, text500) = await CaptureAsync(c => c.RemoveAsync("v"), Response(500, "plain failure\n"));
        Assert.Equal("VolumeDriver.Remove: plain failure\n", text500.Error);
        var (_, ok) = await CaptureAsync(c => c.RemoveAsync("v"), Ok("{}"));
        Assert.True(ok.IsSuccess);
    }

    [Fact]
    public async Task Chunked_and_gzip_answers_are_read()
    {
        const string body = "{\"Mountpoint\":\"/data/chunky\"}";
        var chunked = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{body[..5]}\r\n{body.Length - 5:x}\r\n{body[5..]}\r\n0\r\n\r\n");
        Assert.Equal("/data/chunky", (await CaptureAsync(c => c.MountAsync("v", "i"), chunked)).Result.Value);

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        var gz = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {compressed.Length}\r\n\r\n").Concat(compressed.ToArray()).ToArray();
        Assert.Equal("/data/chunky", (await CaptureAsync(c => c.MountAsync("v", "i"), gz)).Result.Value);

        var closeDelimited = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{body}");
        Assert.Equal("/data/chunky", (await CaptureAsync(c => c.MountAsync("v", "i"), closeDelimited)).Result.Value);
    }

    private static byte[] Ok(string body) => Response(200, body);

    private static byte[] Response(int status, string body) =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");

    // Serves one connection: reads the request (headers + Content-Length body), answers with `response`, closes.
    private static async Task<(string Request, T Result)> CaptureAsync<T>(Func<DockerPluginClient, Task<T>> call, byte[] response)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("fake.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var serve = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync();
            var received = new List<byte>();
            var buffer = new byte[4096];
            while (true)
            {
                var text = Encoding.UTF8.GetString(received.ToArray());
                var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0)
                {
                    var lengthLine = text[..headerEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.Ordinal));
                    var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (received.Count >= Encoding.UTF8.GetByteCount(text[..headerEnd]) + 4 + length)
                    {
                        break;
                    }
                }

                var n = await connection.ReceiveAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, n));
            }

            await connection.SendAsync(response);
            connection.Shutdown(SocketShutdown.Both);
            return Encoding.UTF8.GetString(received.ToArray());
        });
        await using var client = new DockerPluginClient(path);
        var result = await call(client).WaitAsync(TimeSpan.FromSeconds(10));
        return (await serve.WaitAsync(TimeSpan.FromSeconds(10)), result);
    }
}
