using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mooring.Hosting;
using Mooring.TestFixtures;
using Mooring.Testing;
using Mooring.Tests.Infrastructure;

namespace Mooring.Tests;

/// <summary>Socket handling, start-up order, shutdown and cancellation of the host and its HTTP server.</summary>
public sealed class HostLifecycleTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_socket_is_created_with_mode_0660()
    {
        await using var f = await PluginFixture.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(f.SocketPath));
    }

    [Fact]
    public async Task The_socket_directory_is_created_when_missing()
    {
        using var temp = new TempDirectory();
        var socket = temp.Combine("run/docker/plugins/p.sock");
        await using var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = socket, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() });
        await using var client = new DockerPluginClient(socket);
        Assert.True((await client.CapabilitiesAsync()).IsSuccess);
    }

    [Fact]
    public async Task A_stale_socket_file_left_by_a_dead_plugin_is_replaced()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        CreateStaleSocket(path);
        Assert.True(File.Exists(path));
        Assert.False(UnixSockets.CanConnect(path));

        await using var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = path, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() });
        await using var client = new DockerPluginClient(path);
        Assert.True((await client.CapabilitiesAsync()).IsSuccess);
    }

    [Fact]
    public async Task A_socket_another_process_listens_on_is_not_stolen()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        live.Bind(new UnixDomainSocketEndPoint(path));
        live.Listen();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = path, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() }));
        Assert.Contains("another process is listening", error.Message);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_regular_file_at_the_socket_path_is_not_deleted()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        await File.WriteAllTextAsync(path, "important");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = path, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() }));
        Assert.Contains("is not a socket", error.Message);
        Assert.Equal("important", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_socket_path_longer_than_107_bytes_is_refused_with_a_clear_message()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(new string('s', 120) + ".sock");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = path, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() }));
        Assert.Contains("unix sockets allow at most 107", error.Message);
    }

    [Fact]
    public async Task The_socket_accepts_connections_before_the_driver_is_constructed()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var socketExistedDuringConstruction = false;
        var answeredDuringConstruction = 0;
        await using var plugin = await VolumePluginHost.StartAsync(
            Options(temp, path),
            context =>
            {
                socketExistedDuringConstruction = File.Exists(path);

                // A request sent while the driver is being built waits and is answered once it exists.
                var early = Task.Run(async () =>
                {
                    await using var client = new DockerPluginClient(path);
                    return await client.CapabilitiesAsync();
                });
                Thread.Sleep(300);
                answeredDuringConstruction = early.IsCompleted ? 1 : 0;
                _ = early.ContinueWith(t => answeredDuringConstruction = t.Result.IsSuccess ? 2 : -1, TaskScheduler.Default);
                return new TestDriver(context);
            });
        Assert.True(socketExistedDuringConstruction);
        Assert.Equal(0, answeredDuringConstruction == 1 ? 1 : 0);
        var deadline = Stopwatch.StartNew();
        while (answeredDuringConstruction != 2 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, answeredDuringConstruction);
    }

    [Fact]
    public async Task Requests_wait_for_the_driver_startup_which_runs_after_the_socket_is_bound()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var socketBoundAtStartup = false;
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var starting = VolumePluginHost.StartAsync(
            Options(temp, path),
            context => new TestDriver(context)
            {
                OnStart = async ct =>
                {
                    socketBoundAtStartup = UnixSockets.CanConnect(path);
                    await release.Task.WaitAsync(ct);
                },
            });

        await UnixSockets.WaitUntilListeningAsync(path);

        await using var client = new DockerPluginClient(path);
        var early = client.CapabilitiesAsync();
        await Task.Delay(200);
        Assert.False(early.IsCompleted, "a request was answered before the driver finished starting");
        Assert.False(starting.IsCompleted);

        release.SetResult();
        await using var plugin = await starting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True((await early.WaitAsync(TimeSpan.FromSeconds(10))).IsSuccess);
        Assert.True(socketBoundAtStartup);
    }

    [Fact]
    public async Task A_request_waits_for_startup_only_up_to_the_startup_timeout_then_gets_503()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var options = Options(temp, path);
        options.StartupTimeout = TimeSpan.FromMilliseconds(300);
        var starting = VolumePluginHost.StartAsync(options, context => new TestDriver(context) { OnStart = ct => release.Task.WaitAsync(ct) });

        await UnixSockets.WaitUntilListeningAsync(path);

        await using var client = new DockerPluginClient(path);
        var clock = Stopwatch.StartNew();
        var early = await client.CapabilitiesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(503, early.StatusCode);
        Assert.Contains("still starting", early.Err);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {clock.Elapsed}");

        release.SetResult();
        await using var plugin = await starting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True((await client.CapabilitiesAsync()).IsSuccess);
    }

    [Fact]
    public async Task A_request_waiting_for_a_start_that_fails_gets_the_driver_s_message()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var starting = VolumePluginHost.StartAsync(
            Options(temp, path),
            context => new TestDriver(context)
            {
                OnStart = async ct =>
                {
                    await release.Task.WaitAsync(ct);
                    throw new VolumeDriverException("backend unreachable");
                },
            });

        await UnixSockets.WaitUntilListeningAsync(path);

        // Waits on its connection's own thread (PluginApplication.WaitForStart), where the failure arrives unwrapped.
        await using var client = new DockerPluginClient(path);
        var early = client.CapabilitiesAsync();
        await Task.Delay(200);
        Assert.False(early.IsCompleted);

        release.SetResult();
        var answer = await early.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(500, answer.StatusCode);
        Assert.Equal("the plugin failed to start: backend unreachable", answer.Err);
        await Assert.ThrowsAsync<VolumeDriverException>(() => starting);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("a file")]
    public async Task A_socket_directory_that_cannot_be_made_fails_the_start_by_name(string problem)
    {
        // /proc refuses new entries (ENOENT, which .NET reports without an errno: a resource key in a plugin).
        using var temp = new TempDirectory();
        var directory = problem == "missing" ? "/proc/no-such-entry" : temp.Combine("a-file");
        if (problem == "a file")
        {
            await File.WriteAllTextAsync(directory, "");
        }

        var path = Path.Join(directory, "p.sock");
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => VolumePluginHost.StartAsync<TestDriver>(
            Options(temp, path)));
        Assert.Equal(
            problem == "missing"
                ? $"socket path '{path}': cannot create the directory '{directory}': no such file or directory"
                : $"socket path '{path}' is inside '{directory}', which is a file, not a directory",
            failed.Message);
    }

    [Fact]
    public async Task A_data_root_that_cannot_be_made_is_a_warning_that_names_it_and_its_cause_once()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("a-file"), "");
        var dataRoot = temp.Combine("a-file", "data");
        var logs = new CapturingLoggerFactory();

        // The driver may not need it; the start goes on and the state, if any, reports its own failure.
        await using var plugin = await VolumePluginHost.StartAsync<TestDriver>(new() { SocketPath = temp.Combine("p.sock"), DataRoot = dataRoot, LoggerFactory = logs });

        var warning = Assert.Single(logs.Entries, e => e.Message.StartsWith("The data root ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"The data root {dataRoot} does not exist and could not be created: ", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot create the directory", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_driver_startup_fails_the_start_and_removes_the_socket()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var failed = await Assert.ThrowsAsync<VolumeDriverException>(() => VolumePluginHost.StartAsync(
            Options(temp, path),
            context => new TestDriver(context) { OnStart = _ => throw new VolumeDriverException("backend unreachable") }));
        Assert.Equal("backend unreachable", failed.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_driver_constructor_that_throws_fails_the_start_and_removes_the_socket()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        var error = await Assert.ThrowsAsync<VolumeOptionException>(() => VolumePluginHost.StartAsync<TestDriver>(
            Options(temp, path),
            _ => throw new VolumeOptionException("setting 'ROOT' is required")));
        Assert.Equal("setting 'ROOT' is required", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task StopAsync_lets_an_in_flight_request_finish_then_removes_the_socket_and_disposes_the_driver()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = false;
        // A grace period far longer than the request, so that "stop returned because the request finished" and "stop
        // returned because the grace period ran out" cannot be confused on a loaded machine (a CI run once saw 4.9 s).
        await using var f = await PluginFixture.StartAsync(
            d => d.OnCall = async (op, _, ct) =>
            {
                if (op == "Create")
                {
                    entered.SetResult();
                    await Task.Delay(2000, CancellationToken.None);
                    tokenFired = ct.IsCancellationRequested;
                }
            },
            o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var create = f.Client.CreateAsync("slow");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopwatch = Stopwatch.StartNew();
        var stop = f.Plugin.StopAsync();

        // Polled rather than slept: on a loaded machine unbinding can take longer than a fixed pause, but it must happen
        // while the in-flight request (2 s) is still running.
        var refused = false;
        while (!refused && stopwatch.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            refused = !(File.Exists(f.SocketPath) && UnixSockets.CanConnect(f.SocketPath));
            await Task.Delay(20);
        }

        Assert.True(refused, "new connections must be refused once stopping");
        Assert.False(create.IsCompleted, "the in-flight request must still be running when new connections are refused");

        var result = await create.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.IsSuccess, result.ToString());
        Assert.False(tokenFired);
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"stop took {stopwatch.Elapsed}: it waited for the grace period, not for the request");
        Assert.False(File.Exists(f.SocketPath));
        Assert.True(f.Driver.Disposed);
    }

    [Fact]
    public async Task A_request_still_running_when_the_shutdown_timeout_elapses_sees_its_token_cancelled()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await PluginFixture.StartAsync(
            d => d.OnCall = async (op, _, ct) =>
            {
                if (op == "Mount")
                {
                    entered.SetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        cancelled.SetResult();
                        throw;
                    }
                }
            },
            o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
        await f.Client.CreateAsync("v");
        var mount = f.Client.MountAsync("v", "id");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopwatch = Stopwatch.StartNew();
        await f.Plugin.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"stop took {stopwatch.Elapsed}");
        Assert.False(File.Exists(f.SocketPath));

        // The client sees the connection dropped or a 503 "the plugin is stopping", whichever wins the race with the
        // server's abort; never a success, which dockerd would take for a completed Mount.
        try
        {
            var answer = await mount.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.False(answer.IsSuccess, answer.ToString());
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    [Fact]
    public async Task The_driver_token_fires_when_the_client_goes_away()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = async (op, _, ct) =>
        {
            if (op == "Mount")
            {
                entered.SetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.SetResult();
                    throw;
                }
            }
        });
        await f.Client.CreateAsync("v");
        using var giveUp = new CancellationTokenSource();
        var mount = f.Client.MountAsync("v", "id", giveUp.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await giveUp.CancelAsync(); // dockerd's deadline passed: it closes the connection
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mount);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // No error noise for a client that went away, and the plugin keeps serving.
        await Task.Delay(100);
        Assert.DoesNotContain(f.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.True((await f.Client.GetAsync("v")).IsSuccess);
    }

    [Fact]
    public async Task The_client_times_out_like_dockerd_and_the_driver_sees_the_cancellation()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await PluginFixture.StartAsync(d => d.OnCall = async (op, _, ct) =>
        {
            if (op == "Get")
            {
                await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => cancelled.TrySetResult(), TaskScheduler.Default);
            }
        });
        await using var client = new DockerPluginClient(f.SocketPath) { ShortTimeout = TimeSpan.FromMilliseconds(300) };
        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync("v"));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StopAsync_twice_and_DisposeAsync_after_StopAsync_are_harmless()
    {
        var f = await PluginFixture.StartAsync();
        await f.Plugin.StopAsync();
        await f.Plugin.StopAsync();
        await f.DisposeAsync();
        Assert.False(File.Exists(f.SocketPath));
    }

    [Fact]
    public async Task Keep_alive_connections_are_reused_and_a_closed_idle_connection_is_retried()
    {
        await using var f = await PluginFixture.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await f.Client.CapabilitiesAsync()).IsSuccess);
        }

        Assert.Equal(1, ConnectionsStarted(f));

        await using var noKeepAlive = new DockerPluginClient(f.SocketPath) { KeepAlive = false };
        Assert.True((await noKeepAlive.CapabilitiesAsync()).IsSuccess);
        Assert.True((await noKeepAlive.CapabilitiesAsync()).IsSuccess);
        Assert.Equal(3, ConnectionsStarted(f));

        // A 413 closes its connection; the next call on the same client must transparently use a new one.
        Assert.Equal(413, (await f.Client.SendAsync("/VolumeDriver.Get", new byte[2 * 1024 * 1024])).StatusCode);
        Assert.True((await f.Client.CapabilitiesAsync()).IsSuccess);
    }

    private static int ConnectionsStarted(PluginFixture f) =>
        f.Logs.Entries.Count(e => e.Message.StartsWith("Connection ", StringComparison.Ordinal) && e.Message.EndsWith(" opened on the plugin socket", StringComparison.Ordinal));

    [Fact]
    public async Task RunAsync_serves_until_cancelled_then_exits_0_and_removes_the_socket()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("run.sock");
        using var stop = new CancellationTokenSource();
        var run = VolumePluginHost.RunAsync<TestDriver>(["--socket", path, $"--data-root={temp.Combine("data")}", "--log-level", "warning", "--", "extra"], stop.Token);

        var deadline = Stopwatch.StartNew();
        while (!UnixSockets.CanConnect(path))
        {
            Assert.False(run.IsCompleted, "RunAsync ended early");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "socket never appeared");
            await Task.Delay(20);
        }

        await using (var client = new DockerPluginClient(path))
        {
            Assert.True((await client.CreateAsync("v")).IsSuccess);
        }

        Assert.True(Directory.Exists(temp.Combine("data/v")));
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task RunAsync_with_a_bad_command_line_exits_2()
    {
        Assert.Equal(2, await VolumePluginHost.RunAsync<TestDriver>(["--log-level", "loud"]));
        Assert.Equal(2, await VolumePluginHost.RunAsync<TestDriver>(["--socket"]));
    }

    [Fact]
    public async Task RunAsync_that_cannot_bind_exits_1()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("p.sock");
        await File.WriteAllTextAsync(path, "not a socket");
        Assert.Equal(1, await VolumePluginHost.RunAsync<TestDriver>(["--socket", path, "--data-root", temp.Combine("data"), "--log-level", "none"]));
    }

    // What a SIGKILLed plugin leaves behind. .NET unlinks a socket's file when the socket is disposed, so bind
    // elsewhere and move the file into place first.
    // A host on path, with its data root in temp and its log captured: what the start-up tests vary is the driver.
    private static PluginHostOptions Options(TempDirectory temp, string path) =>
        new() { SocketPath = path, DataRoot = temp.Combine("data"), LoggerFactory = new CapturingLoggerFactory() };

    private static void CreateStaleSocket(string path)
    {
        var bound = path + ".tmp";
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(bound));
        socket.Listen();
        File.Move(bound, path);
    }
}
