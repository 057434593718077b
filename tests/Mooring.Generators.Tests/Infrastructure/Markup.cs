using Microsoft.CodeAnalysis.Text;

namespace Mooring.Generators.Tests.Infrastructure;

/// <summary>Source with <c>[|…|]</c> around each span where a diagnostic is expected.</summary>
internal sealed record Markup(string Source, IReadOnlyList<TextSpan> Spans)
{
    public static Markup Parse(string text)
    {
        var spans = new List<TextSpan>();
        var source = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("[|", i, StringComparison.Ordinal);
            if (open < 0)
            {
                source.Append(text, i, text.Length - i);
                break;
            }

            var close = text.IndexOf("|]", open, StringComparison.Ordinal);
            source.Append(text, i, open - i);
            var start = source.Length;
            source.Append(text, open + 2, close - open - 2);
            spans.Add(TextSpan.FromBounds(start, source.Length));
            i = close + 2;
        }

        return new Markup(source.ToString(), spans);
    }
}
