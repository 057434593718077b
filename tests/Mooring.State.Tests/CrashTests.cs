using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Mooring.State.Tests;

/// <summary>Kills a process that is busy rewriting state with SIGKILL, over and over, and checks what it leaves.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Iterations = 40;
    private static readonly string[] Names = ["alpha", "beta", "gamma", "delta"];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task State_written_by_a_process_killed_at_random_moments_always_loads_old_or_new()
    {
        var random = new Random(20240506);
        var lastSeen = Names.ToDictionary(n => n, _ => 0L);
        var killedMidCheckpoint = 0;
        var killedMidAppend = 0;

        for (var i = 0; i < Iterations; i++)
        {
            using var process = await CrashWriterProcess.StartAsync(_dir.Path, $"iteration {i}");
            try
            {
                await Task.Delay(random.Next(0, 60));
            }
            finally
            {
                process.Kill(); // SIGKILL on Unix: no finally blocks, no flushing.
                await process.WaitForExitAsync();
            }

            // A temporary file means the kill landed while a checkpoint wrote the log's changes into the files.
            if (Directory.GetFiles(_dir.Combine(".mooring", "volumes"), "*.tmp").Length > 0)
            {
                killedMidCheckpoint++;
            }

            // Disposed before the next writer starts: it is refused while this process holds the directories.
            var logger = new CapturingLogger();
            await using var store = await VolumeStateStore.OpenAsync(_dir.Path, logger);
            await using var ledger = await MountLedger.OpenAsync(_dir.Path, logger);

            Assert.Empty(logger.AtLeast(LogLevel.Warning));

            // A record cut short in the log: the kill landed inside its write, before it was acknowledged.
            if (logger.AtLeast(LogLevel.Information).Any(m => m.StartsWith("Dropped ", StringComparison.Ordinal)))
            {
                killedMidAppend++;
            }

            Assert.Empty(store.Unreadable);
            Assert.Empty(ledger.Unreadable);
            Assert.Empty(Directory.GetFiles(_dir.Combine(".mooring"), "*.tmp", SearchOption.AllDirectories));

            var generations = new List<long>();
            foreach (var name in Names)
            {
                Assert.True(store.TryGet(name, out var record), $"iteration {i}: volume {name} is gone");
                var generation = long.Parse(record.Properties["generation"]);
                Assert.Equal(string.Concat(Enumerable.Repeat(generation.ToString("D12") + ";", 8192)), record.Properties["payload"]);
                Assert.Equal("1G", record.Options["size"]);
                Assert.True(generation >= lastSeen[name], $"iteration {i}: {name} went back from {lastSeen[name]} to {generation}");
                lastSeen[name] = generation;
                generations.Add(generation);
                Assert.InRange(ledger.GetTotal(name), 0, 1);
            }

            // The writer updates the volumes in order, so a committed update is never lost: generations only step down by one, once.
            Assert.True(generations.Max() - generations.Min() <= 1, $"iteration {i}: generations {string.Join(',', generations)}");
            Assert.Equal(generations.OrderDescending(), generations);
        }

        Assert.True(lastSeen.Values.Min() >= Iterations, "the writer made too little progress for the kills to land mid-write");
        // Most kills land inside a write (the writer spends its time writing); if none did, the test proved nothing.
        Assert.True(killedMidCheckpoint + killedMidAppend > 0, "no kill landed inside a write");
        output.WriteLine($"{Iterations} kills: {killedMidAppend} inside a log append, {killedMidCheckpoint} inside a checkpoint");
    }
}
