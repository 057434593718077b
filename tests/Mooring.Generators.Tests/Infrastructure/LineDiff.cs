using System.Text;

namespace Mooring.Generators.Tests.Infrastructure;

/// <summary>A small line diff (longest common subsequence) printed in unified style with 2 lines of context.</summary>
internal static class LineDiff
{
    private const int Context = 2;

    /// <summary>The diff, or null when the texts are equal.</summary>
    public static string? Unified(string expected, string actual)
    {
        if (expected == actual)
        {
            return null;
        }

        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Op, string Text, int Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x], x + 1));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', b[y], x + 1));
                y++;
            }
            else
            {
                lines.Add(('-', a[x], x + 1));
                x++;
            }
        }

        var output = new StringBuilder();
        var lastPrinted = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var near = false;
            for (var d = -Context; d <= Context && !near; d++)
            {
                near = k + d >= 0 && k + d < lines.Count && lines[k + d].Op != ' ';
            }

            if (!near)
            {
                continue;
            }

            if (lastPrinted != k - 1)
            {
                output.AppendLine($"@@ expected line {lines[k].Line} @@");
            }

            output.Append(lines[k].Op).AppendLine(lines[k].Text);
            lastPrinted = k;
        }

        return output.ToString();
    }
}
