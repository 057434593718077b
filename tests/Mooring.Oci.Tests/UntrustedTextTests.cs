using Mooring.Text;
namespace Mooring.Oci.Tests;

/// <summary>The one escaper for registry answers, tar entry names and manifest fields: what it escapes and where it cuts.</summary>
public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("\u001b[31m", @"\x1b[31m")]      // C0: an ANSI colour
    [InlineData("a\r\nb", @"a\x0d\x0ab")]        // a forged second line
    [InlineData("\u007f", @"\x7f")]              // DEL
    [InlineData("\u0085", @"\x85")]              // C1: next line
    [InlineData("\u202egpj.exe", @"\u202egpj.exe")] // a right-to-left override
    [InlineData("\u2066x\u2069", @"\u2066x\u2069")] // bidi isolates
    [InlineData("a\u200bb", @"a\u200bb")]        // a zero-width space (a format character)
    [InlineData("a\u2028b\u2029", @"a\u2028b\u2029")] // line and paragraph separators
    [InlineData(@"C:\x1b", @"C:\\x1b")]          // a literal backslash cannot pass for an escape
    [InlineData("plain text: ünïcode", "plain text: ünïcode")]
    [InlineData(null, "")]
    public void Escape_escapes_every_unsafe_character(string? text, string expected) =>
        Assert.Equal(expected, UntrustedText.Escape(text));

    [Fact]
    public void Escape_cuts_long_text_before_escaping()
    {
        Assert.Equal(new string('a', UntrustedText.MaxLength) + "…", UntrustedText.Escape(new string('a', UntrustedText.MaxLength + 1)));
        Assert.Equal(@"ab\x1b…", UntrustedText.Escape("ab\u001bcd", 3));
    }

    [Fact]
    public void EscapeMessage_leaves_the_escapes_already_in_a_message_alone()
    {
        var message = $"Refusing the entry '{UntrustedText.Escape("evil\u001b")}'\u202e" + new string('x', 1000);

        Assert.Equal(@"Refusing the entry 'evil\x1b'\u202e" + new string('x', 1000), UntrustedText.EscapeMessage(message));
    }
}
