using System.Diagnostics;
using Xunit.Abstractions;

namespace Mooring.State.Tests;

/// <summary>
/// A container still running against a volume (or a hostile one) can rename a directory away and put a symlink to
/// somewhere else in its place while Remove walks the tree. A walk that re-resolves paths follows the link.
/// </summary>
public sealed class SafeDeleteSwapTests(ITestOutputHelper output) : IDisposable
{
    private const int OutsideFiles = 40;

    /// <summary>How many directories of each volume the swapper turns into links at once.</summary>
    private const int Swapped = 16;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_directory_swapped_for_a_symlink_during_the_delete_is_never_followed()
    {
        var root = _dir.Combine("root");
        var outside = _dir.Combine("outside");
        Directory.CreateDirectory(root);
        for (var i = 0; i < OutsideFiles; i++)
        {
            Directory.CreateDirectory(Path.Join(outside, $"d{i % 4}"));
            File.WriteAllText(Path.Join(outside, $"d{i % 4}", $"precious{i}"), "keep me");
        }

        // Bounded in time (the machine may be loaded), but enough rounds: the old path-based walk emptied part of the
        // outside directory in round 1 or 2.
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        var refused = 0;
        for (; rounds < 200 && clock.Elapsed < TimeSpan.FromSeconds(30); rounds++)
        {
            var volume = Path.Join(root, $"vol{rounds}");
            var subs = Enumerable.Range(0, Swapped).Select(k => Path.Join(volume, $"s{k}")).ToArray();
            foreach (var sub in subs)
            {
                for (var d = 0; d < 2; d++)
                {
                    Directory.CreateDirectory(Path.Join(sub, $"d{d}"));
                    for (var f = 0; f < 2; f++)
                    {
                        File.WriteAllText(Path.Join(sub, $"d{d}", $"f{f}"), "volume data");
                    }
                }
            }

            using var stop = new CancellationTokenSource();
            var swapper = Task.Factory.StartNew(() => Swap(subs, outside, stop.Token), TaskCreationOptions.LongRunning);
            try
            {
                await SafeDelete.DeleteDirectoryAsync(volume, root, "vol");
            }
            catch (VolumeDriverException)
            {
                refused++;

                // Refusing while the tree keeps changing is allowed; following the link is not.
            }
            finally
            {
                await stop.CancelAsync();
                await swapper;
            }

            AssertOutsideIntact(outside, rounds);

            // With the swapper gone, whatever it left (the directory under either name, or the link) goes too.
            await SafeDelete.DeleteDirectoryAsync(volume, root, "vol");
            Assert.False(Directory.Exists(volume) || File.Exists(volume));
            AssertOutsideIntact(outside, rounds);
        }

        output.WriteLine($"{rounds} rounds in {clock.Elapsed}; {refused} deletes refused while the tree kept changing");
        Assert.True(rounds >= 10, $"only {rounds} rounds ran");
    }

    /// <summary>
    /// The rename dance: each directory is moved aside and a link to <paramref name="outside"/> takes its name, then the
    /// links go and the directories come back; about half the time every name is a link.
    /// </summary>
    private static void Swap(string[] subs, string outside, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var sub in subs)
            {
                Try(() =>
                {
                    Directory.Move(sub, sub + ".aside");
                    File.CreateSymbolicLink(sub, outside);
                });
            }

            Thread.SpinWait(5000);
            foreach (var sub in subs)
            {
                Try(() =>
                {
                    if (new FileInfo(sub).LinkTarget is not null)
                    {
                        File.Delete(sub);
                    }

                    Directory.Move(sub + ".aside", sub);
                });
            }
        }

        static void Try(Action step)
        {
            try
            {
                step();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The delete removed or replaced what the swapper wanted to move: carry on with the next one.
            }
        }
    }

    private static void AssertOutsideIntact(string outside, int round)
    {
        var left = Directory.Exists(outside) ? Directory.GetFiles(outside, "precious*", SearchOption.AllDirectories).Length : 0;
        Assert.True(left == OutsideFiles, $"round {round}: the outside directory lost {OutsideFiles - left} of its {OutsideFiles} files");
    }
}
