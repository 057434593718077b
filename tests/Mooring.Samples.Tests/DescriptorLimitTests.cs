using System.Diagnostics;
using System.Globalization;
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
        var tried = new StringBuilder();
        for (var limit = 5; limit <= 64; limit++)
        {
            using var temp = new TempDirectory();
            var socket = temp.Combine("p.sock");
            var output = new ProcessOutput();
            using var process = Start(limit, socket, temp.Combine("data"), output);
            try
            {
                // Whether the loop started is read from the process's threads: the warning reaches the output through
                // the logger and a pipe, and may come after the answer.
                var answered = await StartedAsync(process, output) && await AnswersAsync(process, socket);
                var loop = answered && PluginProcess.ThreadNamesOf(process.Id).Contains("mooring-poll");
                tried.Append(CultureInfo.InvariantCulture, $"{limit}: {(answered ? loop ? "answered on the loop" : "answered" : "no answer")}; ");
                if (!answered || loop)
                {
                    continue;
                }

                var logged = Stopwatch.StartNew();
                while (!output.Text.Contains(LoopUnavailable, StringComparison.Ordinal))
                {
                    Assert.True(logged.Elapsed < TimeSpan.FromSeconds(10), "served without the event loop, but event 84 was not logged:\n" + output.Text);
                    await Task.Delay(10);
                }

                // The loop is not tried again: each later connection gets a thread, and each request an answer. With a
                // descriptor or two to spare a Create may find none for its data directory: then it says so.
                await using var client = new DockerPluginClient(socket) { KeepAlive = false };
                var create = await client.CreateAsync("v");
                Assert.True(create.IsSuccess || create.Err!.Contains("volume 'v'", StringComparison.Ordinal) && create.Err.Contains("Too many open files", StringComparison.Ordinal), create + "\n" + output.Text);
                var list = await client.ListAsync();
                Assert.True(list.IsSuccess, list.ToString());
                Assert.Equal(create.IsSuccess ? 1 : 0, list.Value!.Count);
                Assert.True((await client.CapabilitiesAsync()).IsSuccess);

                Posix.Kill(process.Id, Posix.SigTerm);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(exit.Token);
                Assert.Equal(0, process.ExitCode);
                Assert.Single(output.Text.Split('\n'), line => line.Contains(LoopUnavailable, StringComparison.Ordinal));
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

        Assert.Fail("under no descriptor limit up to 64 did the plugin answer without its event loop: " + tried);
    }

    // prlimit sets the limit on itself and executes the plugin: the process is the plugin.
    private Process Start(int limit, string socket, string dataRoot, ProcessOutput output) =>
        output.Start("prlimit", [$"--nofile={limit}:{limit}", "--", sample.Binary, "--socket", socket, "--data-root", dataRoot, "--no-management-socket"]);

    // Whether the plugin has loaded its state (event 62), or could not and serves it as it is (the state's error). It
    // listens before, and a connection accepted while the load holds descriptors decides which of the two runs out: the
    // limit sought would depend on timing.
    private static async Task<bool> StartedAsync(Process process, ProcessOutput output)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var log = output.Text;
            if (log.Contains("volume(s);", StringComparison.Ordinal) || log.Contains("it is served as it is", StringComparison.Ordinal))
            {
                return true;
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            await Task.Delay(10);
        }
    }

    // Whether the plugin answers Capabilities (its accept tries again every 100 ms when it finds no descriptor).
    private static async Task<bool> AnswersAsync(Process process, string socket)
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

        await using var client = new DockerPluginClient(socket) { KeepAlive = false, ShortTimeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await client.CapabilitiesAsync()).IsSuccess;
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
