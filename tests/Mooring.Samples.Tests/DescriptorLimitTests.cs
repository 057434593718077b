using System.Diagnostics;
using System.Text;
using Mooring.Testing;
using Mooring.TestFixtures;

namespace Mooring.Samples.Tests;

/// <summary>
/// The published LocalVolume at the edge of its file descriptor limit (prlimit): when the accepted connection takes the
/// last descriptor, the event loop cannot make its epoll or eventfd descriptor, and the server serves on threads instead
/// (event 84) rather than dropping the connection or hanging.
/// </summary>
[Collection(PublishedSampleCollection.Name)]
public sealed class DescriptorLimitTests(PublishedSample sample)
{
    private const string LoopUnavailable = "The server's event loop cannot start";

    [Fact]
    public async Task Where_the_limit_leaves_no_descriptor_for_the_event_loop_it_serves_on_threads_and_stops_cleanly()
    {
        // Upwards from a limit too low to start. Below the one sought, the start, the state or the accept runs out (each
        // says so); above it, the loop starts.
        for (var limit = 5; limit <= 64; limit++)
        {
            using var temp = new TempDirectory();
            var socket = temp.Combine("p.sock");
            var output = new StringBuilder();
            using var process = Start(limit, socket, temp.Combine("data"), output);
            try
            {
                if (!await AnswersAsync(process, socket, output) || !Read(output).Contains(LoopUnavailable, StringComparison.Ordinal))
                {
                    continue;
                }

                // The loop is not tried again: each later connection gets a thread, and each request an answer. With a
                // descriptor or two to spare a Create may find none for its data directory: then it says so.
                await using var client = new DockerPluginClient(socket) { KeepAlive = false };
                var create = await client.CreateAsync("v");
                Assert.True(create.IsSuccess || create.Err!.Contains("volume 'v'", StringComparison.Ordinal) && create.Err.Contains("Too many open files", StringComparison.Ordinal), create + "\n" + Read(output));
                var list = await client.ListAsync();
                Assert.True(list.IsSuccess, list.ToString());
                Assert.Equal(create.IsSuccess ? 1 : 0, list.Value!.Count);
                Assert.True((await client.CapabilitiesAsync()).IsSuccess);

                Posix.Kill(process.Id, Posix.SigTerm);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(exit.Token);
                Assert.Equal(0, process.ExitCode);
                Assert.Single(Read(output).Split('\n'), line => line.Contains(LoopUnavailable, StringComparison.Ordinal));
                return;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }

        Assert.Fail("under no descriptor limit up to 64 did the plugin both answer and log that its event loop could not start");
    }

    private Process Start(int limit, string socket, string dataRoot, StringBuilder output)
    {
        // prlimit sets the limit on itself and executes the plugin: the process is the plugin.
        var start = new ProcessStartInfo("prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"--nofile={limit}:{limit}", "--", sample.Binary, "--socket", socket, "--data-root", dataRoot, "--no-management-socket" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Whether the plugin answers Capabilities; false as soon as it exits or says its accept failed.
    private static async Task<bool> AnswersAsync(Process process, string socket, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(socket))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            await Task.Delay(10);
        }

        await using var client = new DockerPluginClient(socket) { KeepAlive = false };
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var call = client.CapabilitiesAsync(gaveUp.Token);
        while (!call.IsCompleted)
        {
            if (process.HasExited || Read(output).Contains("Accepting a connection failed", StringComparison.Ordinal))
            {
                await gaveUp.CancelAsync();
                break;
            }

            await Task.WhenAny(call, Task.Delay(10));
        }

        try
        {
            return (await call).IsSuccess;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
