using System.IO.Pipes;
using System.Text;
using Mooring.Logging;

namespace Mooring.Tests;

/// <summary>The writers behind the plugin's stdout and stderr (written with write(2), not System.Console).</summary>
public sealed class StandardStreamsTests
{
    [Fact]
    public async Task Every_line_reaches_the_pipe_whole_from_many_threads()
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var writer = StandardStreams.Create((int)reader.ClientSafePipeHandle.DangerousGetHandle());
        var lines = Enumerable.Range(0, 400).Select(i => $"line {i:D3} " + new string('x', i * 20) + " é").ToArray();
        var reading = Task.Run(() =>
        {
            using var text = new StreamReader(reader, Encoding.UTF8);
            return text.ReadToEnd();
        });

        // More than a pipe's 64 KiB in total, from four threads: the kernel takes partial writes, the writer finishes them.
        Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => writer.WriteLine(lines[i]));
        reader.DisposeLocalCopyOfClientHandle();

        var received = (await reading.WaitAsync(TimeSpan.FromSeconds(10))).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_write_to_a_pipe_nobody_reads_any_more_is_dropped_not_thrown()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var client = reader.ClientSafePipeHandle;
        var writer = StandardStreams.Create((int)client.DangerousGetHandle());
        reader.Dispose(); // the read end is closed: write(2) now fails with EPIPE, as when dockerd stops reading a log

        writer.WriteLine("nobody reads this");
        writer.WriteLine(new string('x', 100_000));

        client.Dispose();
    }
}
