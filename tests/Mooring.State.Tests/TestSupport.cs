using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Mooring.State.Tests;

/// <summary>Assertions about a state directory's files.</summary>
internal static class StateFilesAssert
{
    /// <summary>No change reached the directory: no state file, and its state log holds only its 8-byte header.</summary>
    public static void NothingWritten(string directory)
    {
        Assert.Empty(Directory.GetFiles(directory, "*.json"));
        Assert.Equal(8, new FileInfo(Path.Join(directory, "changes.log")).Length);
    }
}

/// <summary>
/// CrashWriter (tests/Mooring.State.Tests/CrashWriter): a process that opens a data root's state and changes it in a
/// loop until it is killed.
/// </summary>
internal static class CrashWriterProcess
{
    /// <summary>Starts it on <paramref name="dataRoot"/> and returns once it has begun writing.</summary>
    /// <param name="dataRoot">The data root.</param>
    /// <param name="context">Named in a failure, e.g. <c>iteration 3</c>.</param>
    public static async Task<Process> StartAsync(string dataRoot, string context = "the writer")
    {
        var writer = Path.Join(AppContext.BaseDirectory, "CrashWriter.dll");
        Assert.True(File.Exists(writer), $"{writer} was not built next to the tests");

        // A file rather than stdout: the test must not depend on pipe buffering to know the writer is under way.
        var ready = Path.Join(dataRoot, "writing");
        File.Delete(ready);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(dataRoot);
        var process = Process.Start(start)!;
        var waited = Stopwatch.StartNew();
        while (!File.Exists(ready))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                var exited = process.HasExited ? $"exited with {process.ExitCode}" : "did not start writing";
                process.Kill();
                process.Dispose();
                Assert.Fail($"{context}: the writer {exited}");
            }

            await Task.Delay(5);
        }

        return process;
    }
}

/// <summary>Collects log messages so tests can assert what was reported.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IEnumerable<string> AtLeast(LogLevel level) => Entries.Where(e => e.Level >= level).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>Real tmpfs mounts (the tests run as root).</summary>
internal static class Mounts
{
    public static void MountTmpfs(string directory, string options = "defaults")
    {
        Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory);
    }

    /// <summary>Bind-mounts <paramref name="source"/> on <paramref name="target"/> (same device: only the mount ID differs).</summary>
    public static void Bind(string source, string target) => Run("mount", "--bind", source, target);

    public static void Remount(string directory, string options) => Run("mount", "-o", "remount," + options, directory);

    public static void Unmount(string directory) => Run("umount", directory);

    /// <summary>Runs a command; throws with its standard error when it fails.</summary>
    internal static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
