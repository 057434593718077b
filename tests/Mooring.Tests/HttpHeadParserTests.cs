using System.Text;
using Mooring.Hosting.Http;

namespace Mooring.Tests;

/// <summary>The plugin server's request-head parser against well-formed, incomplete and hostile heads.</summary>
public sealed class HttpHeadParserTests
{
    private static (HttpParseStatus Status, HttpRequestHead Head, HttpRefusal Refusal) Parse(string text)
    {
        var status = HttpHeadParser.TryParse(Encoding.Latin1.GetBytes(text), new AsciiStringCache(), out var head, out var refusal);
        return (status, head, refusal);
    }

    [Fact]
    public void What_dockerd_sends_is_read()
    {
        const string Text = "POST /VolumeDriver.Get HTTP/1.1\r\nHost: plugin\r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: 14\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\nAccept-Encoding: gzip\r\n\r\n{\"Name\":\"v\"}\n";
        var (status, head, _) = Parse(Text);
        Assert.Equal(HttpParseStatus.Complete, status);
        Assert.Equal("POST", head.Method);
        Assert.Equal("/VolumeDriver.Get", head.Path);
        Assert.Equal(14, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.False(head.Chunked);
        Assert.Equal(Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, head.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("POST /VolumeDriver.Get HTTP/1.1\r\nHost: x\r\n")]
    [InlineData("POST /VolumeDriver.Get HTTP/1.1\r\nHost: x\r\n\r")]
    [InlineData("POST /Volume")]
    public void An_incomplete_head_asks_for_more(string text) => Assert.Equal(HttpParseStatus.Incomplete, Parse(text).Status);

    [Fact]
    public void A_repeated_path_is_the_same_string()
    {
        var cache = new AsciiStringCache();
        var bytes = "POST /VolumeDriver.Get HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray();
        HttpHeadParser.TryParse(bytes, cache, out var first, out _);
        HttpHeadParser.TryParse(bytes, cache, out var second, out _);
        Assert.Same(first.Path, second.Path);
    }

    [Theory]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false)]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, Close\r\n\r\n", false)]
    [InlineData("POST /a HTTP/1.0\r\n\r\n", false)]
    [InlineData("POST /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\n\r\n", true)]
    public void Keep_alive_follows_the_version_and_the_Connection_header(string text, bool keepAlive) => Assert.Equal(keepAlive, Parse(text).Head.KeepAlive);

    [Theory]
    [InlineData("POST /a%20b HTTP/1.1\r\nHost: x\r\n\r\n", "/a b")]
    [InlineData("POST /a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n", "/a%2Fb")]
    [InlineData("POST /caf%C3%A9?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", "/café")]
    [InlineData("POST /Plugin.Activate?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n", "/Plugin.Activate")]
    public void The_path_is_percent_decoded_without_its_query(string text, string path) => Assert.Equal(path, Parse(text).Head.Path);

    [Theory]
    [InlineData("POST /a HTTP/1.1\nHost: x\r\n\r\n", 400, "LF alone")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\n\r\n\r\n", 400, "LF alone")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400, "folded")]
    [InlineData("POST /a HTTP/1.1\r\nHost : x\r\n\r\n", 400, "malformed header line 'Host : x'")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400, "malformed header line 'NoColon'")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n", 400, "header 'X' holds a control character")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400, "header 'X' holds a control character")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", 400, "unusable Content-Length '+5'")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5 5\r\n\r\n", 400, "unusable Content-Length")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400, "unusable Content-Length")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, "two different Content-Length headers")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Content-Length and Transfer-Encoding together")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "Transfer-Encoding 'gzip, chunked' is not supported")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501, "is not supported")]
    [InlineData("POST /a HTTP/1.1\r\n\r\n", 400, "needs a Host header")]
    [InlineData("POST /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, "two Host headers")]
    [InlineData("POST /a HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP version 'HTTP/2.0' is not supported")]
    [InlineData("POST /a HTTP/1.2\r\nHost: x\r\n\r\n", 505, "HTTP version")]
    [InlineData("POST /a HTTX/1.1\r\nHost: x\r\n\r\n", 400, "malformed request line")]
    [InlineData("POST /a\r\nHost: x\r\n\r\n", 400, "malformed request line")]
    [InlineData("POST  /a HTTP/1.1\r\nHost: x\r\n\r\n", 400, "is not a path")]
    [InlineData("P(ST /a HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed request line")]
    [InlineData("POST http://x/a HTTP/1.1\r\nHost: x\r\n\r\n", 400, "is not a path")]
    [InlineData("POST /a\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "is not a path")]
    [InlineData("POST /a%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad percent escape")]
    [InlineData("POST /a%0A HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad percent escape")]
    [InlineData("POST /a%FF HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad percent escape")]
    [InlineData("POST /a% HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad percent escape")]
    public void Hostile_heads_are_refused_with_a_status_and_a_message_that_names_the_problem(string text, int status, string problem)
    {
        var (result, _, refusal) = Parse(text);
        Assert.Equal(HttpParseStatus.Invalid, result);
        Assert.Equal(status, refusal.StatusCode);
        Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_LF_is_refused_before_the_head_is_complete()
    {
        var (status, _, refusal) = Parse("POST /a HTTP/1.1\nHost: x\r\n");
        Assert.Equal(HttpParseStatus.Invalid, status);
        Assert.Equal(400, refusal.StatusCode);
    }

    [Fact]
    public void Oversized_heads_are_refused_whether_complete_or_not()
    {
        var longLine = "POST /" + new string('a', HttpHeadParser.MaxRequestLineBytes) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        Assert.Equal(414, Parse(longLine).Refusal.StatusCode);
        Assert.Equal(414, Parse(longLine[..(HttpHeadParser.MaxRequestLineBytes + 10)]).Refusal.StatusCode);

        var big = "POST /a HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Repeat("X-Pad: " + new string('p', 1000) + "\r\n", 40));
        Assert.Equal(431, Parse(big + "\r\n").Refusal.StatusCode);
        Assert.Equal(431, Parse(big).Refusal.StatusCode);

        var many = "POST /a HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, HttpHeadParser.MaxHeaderCount).Select(i => $"X-{i}: v\r\n")) + "\r\n";
        var (status, _, refusal) = Parse(many);
        Assert.Equal(HttpParseStatus.Invalid, status);
        Assert.Equal(431, refusal.StatusCode);
        Assert.Contains("more than 100 header fields", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(11);
        var alphabet = "POST /ab HTTP/1.01\r\n:Host Content-Length Transfer-Encoding chunked 9%\t\u0000\u00ff"u8.ToArray();
        var cache = new AsciiStringCache();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            var status = HttpHeadParser.TryParse(bytes, cache, out _, out var refusal);
            Assert.True(status != HttpParseStatus.Invalid || refusal.StatusCode >= 400);
        }
    }
}
