using System.Text;
using Microsoft.Extensions.Logging;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>Hostile and broken input, and broken drivers: every failure is an answer with an Err, never a crash.</summary>
public sealed class ErrorPathTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("/VolumeDriver.Create", "{\"Name\":", "request body is not valid JSON")]
    [InlineData("/VolumeDriver.Get", "not json", "request body is not valid JSON")]
    [InlineData("/VolumeDriver.Get", "{\"Name\":\"a\"} {}", "request body is not valid JSON")]
    [InlineData("/VolumeDriver.Get", "{\"Name\":\"a\",}", "request body is not valid JSON")]
    [InlineData("/VolumeDriver.Get", "[\"a\"]", "request body must be a JSON object, got an array")]
    [InlineData("/VolumeDriver.Get", "\"a\"", "request body must be a JSON object, got a string")]
    [InlineData("/VolumeDriver.Get", "null", "request body must be a JSON object, got null")]
    [InlineData("/VolumeDriver.Get", "{\"Name\":1}", "field 'Name' must be a string")]
    [InlineData("/VolumeDriver.Remove", "{\"name\":{\"a\":1}}", "field 'Name' must be a string")]
    [InlineData("/VolumeDriver.Mount", "{\"Name\":\"a\",\"ID\":true}", "field 'ID' must be a string")]
    [InlineData("/VolumeDriver.Create", "{\"Name\":\"a\",\"Opts\":[]}", "field 'Opts' must be an object whose values are strings")]
    [InlineData("/VolumeDriver.Create", "{\"Name\":\"a\",\"Opts\":{\"size\":1}}", "field 'Opts' must be an object whose values are strings")]
    [InlineData("/VolumeDriver.Get", "{}", "field 'Name' is required")]
    [InlineData("/VolumeDriver.Get", "{\"Name\":null}", "field 'Name' is required")]
    [InlineData("/VolumeDriver.Create", "{\"Opts\":{}}", "field 'Name' is required")]
    [InlineData("/VolumeDriver.Mount", "{\"Name\":\"a\"}", "volume 'a': field 'ID' is required")]
    [InlineData("/VolumeDriver.Unmount", "{\"Name\":\"a\",\"ID\":null}", "volume 'a': field 'ID' is required")]
    [InlineData("/VolumeDriver.Unmount", "{\"Name\":\"a\",\"ID\":\"\"}", "volume 'a': field 'ID' must not be empty")]
    [InlineData("/VolumeDriver.Mount", "", "request body is empty: expected a JSON object with fields 'Name' and 'ID'")]
    [InlineData("/VolumeDriver.Create", "", "request body is empty: expected a JSON object with field 'Name'")]
    [InlineData("/VolumeDriver.Remove", "\n", "request body is empty")]
    [InlineData("/VolumeDriver.Get", "{\"Name\":\"\\ud800\"}", "field 'Name' could not be read")]
    public async Task Malformed_requests_get_400_with_a_message_that_names_the_problem(string path, string body, string expected)
    {
        await using var f = await PluginFixture.StartAsync();
        var response = await f.Client.SendAsync(path, Encoding.UTF8.GetBytes(body));
        Assert.Equal(400, response.StatusCode);
        Assert.Contains(expected, ErrOf(response.BodyText));
        Assert.Equal(0, f.Driver.Calls);
    }

    [Fact]
    public async Task Invalid_UTF8_gets_400()
    {
        await using var f = await PluginFixture.StartAsync();
        byte[] body = [.. "{\"Name\":\"a"u8, 0xC3, 0x28, .. "\"}"u8];
        var response = await f.Client.SendAsync("/VolumeDriver.Get", body);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("request body is not valid UTF-8", ErrOf(response.BodyText));
    }

    [Fact]
    public async Task A_10MB_body_gets_413_without_crashing_or_hanging_and_the_plugin_keeps_serving()
    {
        await using var f = await PluginFixture.StartAsync();
        var body = new byte[10 * 1024 * 1024];
        body.AsSpan().Fill((byte)' ');
        var response = await f.Client.SendAsync("/VolumeDriver.Create", body).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(413, response.StatusCode);
        Assert.Equal("request body larger than 1048576 bytes", ErrOf(response.BodyText));
        Assert.True((await f.Client.CapabilitiesAsync()).IsSuccess);
    }

    [Fact]
    public async Task An_oversized_chunked_body_gets_413_too()
    {
        await using var f = await PluginFixture.StartAsync(configureHost: o => o.MaxRequestBodySize = 1000);
        var chunk = new string('x', 600);
        var request = Encoding.ASCII.GetBytes(
            "POST /VolumeDriver.Get HTTP/1.1\r\nHost: \r\nTransfer-Encoding: chunked\r\n\r\n" +
            $"258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n");
        var response = await f.Client.SendRawAsync(request);
        Assert.Equal(413, response.StatusCode);
        Assert.Equal("request body larger than 1000 bytes", ErrOf(response.BodyText));
    }

    [Fact]
    public async Task Requests_on_one_connection_share_nothing_and_a_body_in_pieces_is_read_whole()
    {
        // The host keeps one HttpContext per connection (PluginApplication.CreateContext). A 405's Allow header must not
        // reach the next answer on that connection, and a Content-Length body that arrives in pieces is read whole.
        await using var f = await PluginFixture.StartAsync();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(f.SocketPath));
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /VolumeDriver.Capabilities HTTP/1.1\r\nHost: x\r\n\r\n"));
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /VolumeDriver.Create HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 16\r\n\r\n{\"Na"));
        await Task.Delay(50);
        await socket.SendAsync(Encoding.ASCII.GetBytes("me\":\"pie"));
        await Task.Delay(50);
        await socket.SendAsync(Encoding.ASCII.GetBytes("ce\"}"));

        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, deadline.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        var second = text.IndexOf("HTTP/1.1 ", 1, StringComparison.Ordinal);
        Assert.True(second > 0, text);
        Assert.StartsWith("HTTP/1.1 405", text, StringComparison.Ordinal);
        Assert.Contains("Allow: POST", text[..second], StringComparison.Ordinal);
        Assert.True(text[second..].StartsWith("HTTP/1.1 200", StringComparison.Ordinal), text);
        Assert.DoesNotContain("Allow:", text[second..], StringComparison.Ordinal);
        Assert.Equal(1, f.Driver.Calls);
        Assert.True((await f.Client.GetAsync("piece")).IsSuccess);
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_is_accepted()
    {
        await using var f = await PluginFixture.StartAsync();
        var request = Encoding.ASCII.GetBytes(
            "POST /VolumeDriver.Create HTTP/1.1\r\nHost: \r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\n{\"Nam\r\n9\r\ne\":\"ch\"}\n\r\n0\r\n\r\n");
        var response = await f.Client.SendRawAsync(request);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, f.Driver.Calls);
    }

    [Fact]
    public async Task A_body_with_a_json_Content_Type_or_none_is_read_the_same()
    {
        await using var f = await PluginFixture.StartAsync();
        var request = Encoding.ASCII.GetBytes(
            "POST /VolumeDriver.Create HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n{\"Name\":\"t\"}\n");
        Assert.Equal(200, (await f.Client.SendRawAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_endpoint_gets_404_naming_it()
    {
        await using var f = await PluginFixture.StartAsync();
        var response = await f.Client.SendAsync("/VolumeDriver.Foo", "{}\n"u8.ToArray());
        Assert.Equal(404, response.StatusCode);
        Assert.StartsWith("unknown endpoint '/VolumeDriver.Foo'", ErrOf(response.BodyText));
        Assert.Equal(404, (await f.Client.SendAsync("/", "{}\n"u8.ToArray())).StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Methods_other_than_POST_get_405(string method)
    {
        await using var f = await PluginFixture.StartAsync();
        var response = await f.Client.SendAsync(method, "/VolumeDriver.List", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(405, response.StatusCode);
        Assert.Equal("POST", response.Headers["Allow"]);
        Assert.Contains($"method {method} is not allowed", ErrOf(response.BodyText));
        Assert.Equal(0, f.Driver.Calls);
    }

    [Theory]
    [InlineData("..", "invalid volume name '..': '.' and '..' are not allowed")]
    [InlineData(".", "invalid volume name '.': '.' and '..' are not allowed")]
    [InlineData("a/b", "invalid volume name 'a/b': it must not contain '/'")]
    [InlineData("../etc", "invalid volume name '../etc': it must not contain '/'")]
    [InlineData("a\0b", "invalid volume name 'a\\0b': it must not contain a NUL character")]
    [InlineData("", "invalid volume name: it must not be empty")]
    public async Task Hostile_names_are_rejected_before_the_driver_is_called(string name, string expected)
    {
        await using var f = await PluginFixture.StartAsync();
        var create = await f.Client.CreateAsync(name);
        Assert.Equal(400, create.StatusCode);
        Assert.Equal(expected, create.Err);
        Assert.Equal(400, (await f.Client.MountAsync(name, Id)).StatusCode);
        Assert.Equal(400, (await f.Client.GetAsync(name)).StatusCode);
        Assert.Equal(400, (await f.Client.RemoveAsync(name)).StatusCode);
        Assert.Equal(400, (await f.Client.PathAsync(name)).StatusCode);
        Assert.Equal(400, (await f.Client.UnmountAsync(name, Id)).StatusCode);
        Assert.Equal(0, f.Driver.Calls);
        Assert.Empty(Directory.GetFileSystemEntries(f.DataRoot));
    }

    [Fact]
    public async Task A_name_of_256_UTF8_bytes_is_rejected_and_255_is_accepted()
    {
        await using var f = await PluginFixture.StartAsync();
        var tooLong = await f.Client.CreateAsync(new string('é', 128)); // 256 bytes
        Assert.Equal(400, tooLong.StatusCode);
        Assert.EndsWith("it is 256 bytes long in UTF-8, the limit is 255", tooLong.Err);
        Assert.Equal(0, f.Driver.Calls);
        Assert.True((await f.Client.CreateAsync(new string('a', 255))).IsSuccess);
    }

    [Fact]
    public async Task A_VolumeDriverException_becomes_500_with_its_message_and_no_error_log()
    {
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = (op, name, _) =>
            op == "Mount" ? throw new VolumeDriverException($"volume '{name}': backend is read-only") : Task.CompletedTask);
        await f.Client.CreateAsync("v");
        var mount = await f.Client.MountAsync("v", Id);
        Assert.Equal(500, mount.StatusCode);
        Assert.Equal("""{"Err":"volume 'v': backend is read-only"}""", mount.Body);
        Assert.DoesNotContain(f.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_500_with_a_generic_message_and_is_logged_with_its_stack()
    {
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = (op, _, _) =>
            op == "Mount" ? throw new InvalidOperationException("secret connection string xyz") : Task.CompletedTask);
        await f.Client.CreateAsync("v");
        var mount = await f.Client.MountAsync("v", Id);
        Assert.Equal(500, mount.StatusCode);
        Assert.Equal("volume 'v': internal error in the driver (see the plugin log)", mount.Err);
        Assert.DoesNotContain("secret", mount.Body);
        Assert.DoesNotContain("   at ", mount.Body);

        var logged = Assert.Single(f.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Contains("VolumeDriver.Mount", logged.Message);
        Assert.Contains("'v'", logged.Message);

        Assert.True((await f.Client.GetAsync("v")).IsSuccess); // the plugin stays up
    }

    [Fact]
    public async Task An_unexpected_exception_from_List_becomes_500_too()
    {
        await using var f = await PluginFixture.StartAsync(d => d.ListOverride = () => throw new IOException("disk"));
        var list = await f.Client.ListAsync();
        Assert.Equal(500, list.StatusCode);
        Assert.Equal("VolumeDriver.List: internal error in the driver (see the plugin log)", list.Error);
        Assert.Contains(f.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is IOException);
    }

    [Theory]
    [InlineData("/etc", "is outside the data root")]
    [InlineData("", "is empty")]
    [InlineData("relative/path", "is not an absolute path")]
    [InlineData("{root}/../etc", "is not a normalised path")]
    [InlineData("{root}/./v", "is not a normalised path")]
    [InlineData("{root}//v", "is not a normalised path")]
    [InlineData("{root}/v/", "is not a normalised path")]
    [InlineData("{root}2/v", "is outside the data root")]
    [InlineData("{root}", "is outside the data root")]
    public async Task A_bad_mountpoint_from_Mount_is_refused_and_blames_the_driver(string returned, string problem)
    {
        string? root = null;
        await using var f = await PluginFixture.StartAsync(d => d.MountpointOverride = _ => returned.Replace("{root}", d.Context.DataRoot, StringComparison.Ordinal));
        root = f.DataRoot;
        await f.Client.CreateAsync("v");
        var mount = await f.Client.MountAsync("v", Id);
        Assert.Equal(500, mount.StatusCode);
        var expected = returned.Replace("{root}", root, StringComparison.Ordinal);
        Assert.StartsWith($"volume 'v': the driver returned mountpoint '{expected}', which {problem}", mount.Err);
        Assert.Contains(f.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mountpoint_outside_the_data_root_names_the_data_root()
    {
        await using var f = await PluginFixture.StartAsync(d => d.MountpointOverride = _ => "/etc");
        await f.Client.CreateAsync("x");
        var mount = await f.Client.MountAsync("x", Id);
        Assert.Equal($"volume 'x': the driver returned mountpoint '/etc', which is outside the data root '{f.DataRoot}'", mount.Err);
    }

    [Fact]
    public async Task A_bad_mountpoint_from_Get_or_List_is_refused()
    {
        await using var f = await PluginFixture.StartAsync(d =>
        {
            d.GetOverride = n => new VolumeInfo(n) { Mountpoint = "/etc" };
            d.ListOverride = () => [new VolumeInfo("a") { Mountpoint = "/tmp" }];
        });
        var get = await f.Client.GetAsync("v");
        Assert.Equal(500, get.StatusCode);
        Assert.Contains("'/etc', which is outside the data root", get.Err);
        var path = await f.Client.PathAsync("v"); // the default Path answers Get's Mountpoint
        Assert.Equal(500, path.StatusCode);
        Assert.Contains("'/etc', which is outside the data root", path.Err);
        var list = await f.Client.ListAsync();
        Assert.Equal(500, list.StatusCode);
        Assert.Contains("volume 'a': the driver returned mountpoint '/tmp'", list.Err);
    }

    [Fact]
    public async Task Get_answering_a_different_name_or_List_an_empty_name_is_refused()
    {
        await using var f = await PluginFixture.StartAsync(d =>
        {
            d.GetOverride = _ => new VolumeInfo("other");
            d.ListOverride = () => [new VolumeInfo("ok"), new VolumeInfo("")];
        });
        var get = await f.Client.GetAsync("v");
        Assert.Equal("VolumeDriver.Get: volume 'v': the driver returned a volume named 'other' for it", get.Error);
        var list = await f.Client.ListAsync();
        Assert.Equal(500, list.StatusCode);
        Assert.Contains("without a name", list.Err);
    }

    [Fact]
    public async Task An_empty_mountpoint_from_Get_is_sent_as_absent()
    {
        await using var f = await PluginFixture.StartAsync(d => d.GetOverride = n => new VolumeInfo(n) { Mountpoint = "" });
        var get = await f.Client.GetAsync("v");
        Assert.True(get.IsSuccess, get.ToString());
        Assert.Equal("""{"Volume":{"Name":"v"}}""", get.Body);
    }

    private static string ErrOf(string body)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        return document.RootElement.GetProperty("Err").GetString()!;
    }
}
