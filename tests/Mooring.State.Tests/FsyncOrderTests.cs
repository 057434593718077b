using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mooring.State.Tests;

/// <summary>
/// Proves the durability order of state changes on the real system calls, traced with strace in a child process. A
/// change is acknowledged only after its record is written to the directory's state log and an fdatasync of the log
/// that began after the write has succeeded. A checkpoint writes each file as before — fsync(temp file) →
/// rename(temp, target) → fsync(directory), or unlink → fsync(directory) — and only then empties the log. A crash (or
/// power loss) between any two of them then leaves the old state or the new, never a torn or lost one.
/// </summary>
public sealed partial class FsyncOrderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [StraceFact]
    public async Task State_changes_are_logged_and_synced_before_they_return_and_checkpoints_write_files_before_emptying_the_log()
    {
        var trace = await TraceCrashWriterAsync();
        var volumes = _dir.Combine(".mooring", "volumes");
        var mounts = _dir.Combine(".mooring", "mounts");

        AssertLogged(Window(trace, "record-write", "ledger-write"), Path.Join(volumes, "changes.log"));
        AssertLogged(Window(trace, "ledger-write", "ledger-delete"), Path.Join(mounts, "changes.log"));
        AssertLogged(Window(trace, "ledger-delete", "record-delete"), Path.Join(mounts, "changes.log"));
        AssertLogged(Window(trace, "record-delete", "checkpoint"), Path.Join(volumes, "changes.log"));

        // Closing the store and the ledger checkpoints: "kept" is written into its files, "probe" is gone for good.
        var checkpoint = Window(trace, "checkpoint", "end");
        AssertCheckpoint(checkpoint, volumes, Path.Join(volumes, "kept.json"));
        AssertCheckpoint(checkpoint, mounts, Path.Join(mounts, "kept.json"));
    }

    [StraceFact]
    public async Task The_state_directories_are_durable_in_their_parents_before_the_first_change()
    {
        var trace = await TraceCrashWriterAsync();
        var marker = _dir.Combine("step-record-write");
        var firstChange = trace.First(c => c.Name == "openat" && c.Paths.Contains(marker));
        var made = trace.Where(c => c.Name.StartsWith("mkdir", StringComparison.Ordinal) && c.Succeeded && c.Paths[0].StartsWith(_dir.Path, StringComparison.Ordinal)).ToList();

        // .mooring, then .mooring/volumes and .mooring/mounts: a crash must not take any of them, or the logs in them.
        Assert.Contains(made, c => c.Paths[0] == _dir.Combine(".mooring"));
        foreach (var mkdir in made)
        {
            var parent = Path.GetDirectoryName(mkdir.Paths[0]);
            var sync = trace.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == parent && c.Start > mkdir.End);
            Assert.True(
                sync is { Succeeded: true } && sync.End < firstChange.Start,
                $"{parent} was not synced after {mkdir.Paths[0]} was made, before the first change\n{Describe(trace)}");
        }
    }

    private static void AssertLogged(IReadOnlyList<Call> calls, string log)
    {
        var context = Describe(calls);
        var write = Assert.Single(calls, c => c.Name.StartsWith("pwrite", StringComparison.Ordinal) && c.FdPath == log);
        Assert.True(write.Succeeded, $"the write to {log} failed\n{context}");
        var sync = calls.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == log && c.Start > write.End);
        Assert.True(sync is { Succeeded: true }, $"{log} was not fdatasynced after the change was written, before it returned\n{context}");
        Assert.DoesNotContain(calls, c => c.Name.StartsWith("rename", StringComparison.Ordinal) || c.Name.StartsWith("unlink", StringComparison.Ordinal));
    }

    private static void AssertCheckpoint(IReadOnlyList<Call> calls, string directory, string target)
    {
        var context = Describe(calls);
        var log = Path.Join(directory, "changes.log");
        var rename = AssertWriteOrder(calls, directory, target);
        var directorySync = calls.First(c => c.Name is "fsync" or "fdatasync" && c.FdPath == directory && c.Start > rename.End);

        // The log may be emptied only once every file it covers is durable, and the emptying must be durable too.
        var truncate = Assert.Single(calls, c => c.Name == "ftruncate" && c.FdPath == log);
        Assert.True(truncate.Start > directorySync.End, $"{log} was emptied before {target} was durable\n{context}");
        var sync = calls.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == log && c.Start > truncate.End);
        Assert.True(sync is { Succeeded: true }, $"{log} was not synced after it was emptied\n{context}");
        var before = calls.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == log && c.End < rename.Start);
        Assert.True(before is { Succeeded: true }, $"{log} was not synced before its changes were written into files\n{context}");
    }

    private static Call AssertWriteOrder(IReadOnlyList<Call> calls, string directory, string target)
    {
        var context = Describe(calls);
        var rename = Assert.Single(calls, c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Paths.Count == 2 && c.Paths[1] == target);
        Assert.True(rename.Succeeded, $"the rename failed\n{context}");
        var temp = rename.Paths[0];
        Assert.Equal(directory, Path.GetDirectoryName(temp));

        var created = Assert.Single(calls, c => c.Name == "openat" && c.Paths.Contains(temp));
        var fileSync = calls.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == temp);
        Assert.True(fileSync is not null, $"the temporary file {temp} was never fsynced\n{context}");
        Assert.True(created.End < fileSync.Start && fileSync.End < rename.Start, $"the temporary file was not fsynced between its creation and the rename\n{context}");
        Assert.True(fileSync.Succeeded, $"fsync of the temporary file failed\n{context}");

        // The rename is only durable once the directory is: it must be fsynced after the rename.
        var directorySync = calls.FirstOrDefault(c => c.Name is "fsync" or "fdatasync" && c.FdPath == directory && c.Start > rename.End);
        Assert.True(directorySync is { Succeeded: true }, $"{directory} was not fsynced after the rename\n{context}");
        return rename;
    }

    // The calls between the marker file the writer opens before a step and the one it opens before the next.
    private List<Call> Window(IReadOnlyList<Call> calls, string step, string nextStep)
    {
        int MarkerAt(string name)
        {
            var marker = _dir.Combine("step-" + name);
            var index = calls.ToList().FindIndex(c => c.Name == "openat" && c.Paths.Contains(marker));
            Assert.True(index >= 0, $"the trace has no openat of {marker}");
            return index;
        }

        var from = MarkerAt(step);
        var to = MarkerAt(nextStep);
        return calls.Skip(from + 1).Take(to - from - 1).Where(c => c.Paths.Append(c.FdPath ?? string.Empty).Any(p => p.StartsWith(_dir.Path, StringComparison.Ordinal)))
            .ToList();
    }

    private static string Describe(IEnumerable<Call> calls) => string.Join('\n', calls.Select(c => c.Text));

    private async Task<IReadOnlyList<Call>> TraceCrashWriterAsync()
    {
        var writer = Path.Join(AppContext.BaseDirectory, "CrashWriter.dll");
        Assert.True(File.Exists(writer), $"{writer} was not built next to the tests");
        var traceFile = _dir.Combine("strace.txt");
        var start = new ProcessStartInfo("strace") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            // -y prints the path behind every file descriptor, so calls can be matched by path rather than fd number.
            "-f", "-qq", "-y", "-o", traceFile,
            "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,pwrite64,ftruncate,mkdir,mkdirat",
            "dotnet", writer, _dir.Path, "--once",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"strace/CrashWriter exited with {process.ExitCode}: {await stdout}{await stderr}");
        return Parse(await File.ReadAllLinesAsync(traceFile));
    }

    // strace -f writes "PID  name(args) = result"; when threads interleave, one call is split into
    // "PID  name(args <unfinished ...>" and, later, "PID  <... name resumed>rest". Start and End are line positions.
    private static List<Call> Parse(string[] lines)
    {
        var calls = new List<Call>();
        var pending = new Dictionary<string, (int Start, string Head)>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = TraceLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var pid = match.Groups["pid"].Value;
            var body = match.Groups["body"].Value;
            if (body.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                pending[pid] = (i, body[..^"<unfinished ...>".Length]);
                continue;
            }

            var start = i;
            var resumed = Resumed().Match(body);
            if (resumed.Success && pending.Remove(pid, out var head))
            {
                (start, body) = (head.Start, head.Head + resumed.Groups["rest"].Value);
            }

            var call = Call.TryParse(body, start, i);
            if (call is not null)
            {
                calls.Add(call);
            }
        }

        return calls;
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<body>.*)$")]
    private static partial Regex TraceLine();

    [GeneratedRegex(@"^<\.\.\. \w+ resumed>(?<rest>.*)$")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"^(?<name>\w+)\((?<args>.*)\)\s+=\s+(?<result>-?\d+)")]
    private static partial Regex Syscall();

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(?:\d+|AT_FDCWD)<(?<path>[^>]*)>")]
    private static partial Regex FdArgument();

    /// <summary>One traced system call.</summary>
    /// <param name="Name">The system call.</param>
    /// <param name="Paths">Its string arguments (paths), in order.</param>
    /// <param name="FdPath">The path behind its first argument, when that is a file descriptor.</param>
    /// <param name="Succeeded">Whether it returned 0 or more.</param>
    /// <param name="Start">The trace line where it started.</param>
    /// <param name="End">The trace line where it returned.</param>
    /// <param name="Text">The call as strace printed it.</param>
    private sealed record Call(string Name, IReadOnlyList<string> Paths, string? FdPath, bool Succeeded, int Start, int End, string Text)
    {
        public static Call? TryParse(string body, int start, int end)
        {
            var match = Syscall().Match(body);
            if (!match.Success)
            {
                return null;
            }

            var args = match.Groups["args"].Value;
            var paths = Quoted().Matches(args).Select(m => Regex.Unescape(m.Groups[1].Value)).ToList();
            var fd = FdArgument().Match(args);
            return new Call(
                match.Groups["name"].Value,
                paths,
                fd.Success ? fd.Groups["path"].Value : null,
                long.Parse(match.Groups["result"].Value) >= 0,
                start,
                end,
                body);
        }
    }
}

/// <summary>A test that needs strace; skipped with the reason when it is not installed.</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    public StraceFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !new[] { "/usr/bin/strace", "/bin/strace" }.Any(File.Exists))
        {
            Skip = "needs strace (apt-get install strace; eng/install-prereqs.sh installs it)";
        }
    }
}
