using Microsoft.Extensions.Logging.Abstractions;
using Mooring.Hosting;
using Mooring.Hosting.Metadata;

namespace Mooring.Tests;

[CollectionDefinition(nameof(DispatchAllocationTests), DisableParallelization = true)]
public sealed class DispatchAllocationCollection;

/// <summary>
/// What one request allocates on its way through <see cref="VolumeProtocol"/> (issue 11: nothing beyond the request
/// and the response). Alone in its collection: the JIT tiers code up only once the process is quiet, and until then
/// some BCL paths allocate (ContainsAnyInRange boxes at tier 0) where the plugin's NativeAOT code does not.
/// </summary>
[Collection(nameof(DispatchAllocationTests))]
public sealed class DispatchAllocationTests
{
#if DEBUG
    // A Debug build compiles async state machines as classes, one allocation per call that Release does not have.
    private const string? ReleaseOnly = "measured in Release builds only (eng/test.sh builds Release)";
#else
    private const string? ReleaseOnly = null;
#endif

    [Fact(Skip = ReleaseOnly)]
    public async Task A_Get_allocates_its_request_and_its_answer_and_nothing_else()
    {
        var root = Directory.CreateTempSubdirectory("mooring-answers-").FullName;
        try
        {
            var context = new PluginContext(Path.Combine(root, "data"), Path.Combine(root, "p.sock"), NullLoggerFactory.Instance);
            var driver = new FixedVolumeDriver(new VolumeInfo("shared")
            {
                Mountpoint = Path.Combine(context.DataRoot, "shared"),
                CreatedAt = new DateTimeOffset(2026, 12, 2, 6, 12, 0, 250, TimeSpan.Zero),
            });
            var body = "{\"Name\":\"shared\"}"u8.ToArray();

            var answer = await VolumeProtocol.GetAsync(driver, body, context, CancellationToken.None);
            Assert.Equal(200, answer.StatusCode);

            // The request model (24 B), the name string (22 B + 2 per char) and the answer's array (24 B + its length),
            // each rounded up to 8: anything more is a wire model, a formatted date or a boxed state machine.
            var budget = 24 + RoundUp(22 + (2 * "shared".Length)) + RoundUp(24 + answer.Body.Length);

            // Tiering happens in the background: the best round is what optimised code (and NativeAOT) allocates.
            var best = long.MaxValue;
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (best > budget && DateTime.UtcNow < deadline)
            {
                const int Calls = 2000;
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < Calls; i++)
                {
                    await VolumeProtocol.GetAsync(driver, body, context, CancellationToken.None); // synchronous: one thread
                }

                best = Math.Min(best, (GC.GetAllocatedBytesForCurrentThread() - before) / Calls);
                if (best > budget)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(best <= budget, $"a Get allocated {best} B per call; the request and the answer need {budget} B");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int RoundUp(int bytes) => (bytes + 7) & ~7;

    // Answers every Get with one record, allocating nothing: what is measured is the protocol, not a driver.
    private sealed class FixedVolumeDriver(VolumeInfo volume) : IVolumeDriver
    {
        public ValueTask<VolumeInfo?> GetAsync(string name, CancellationToken cancellationToken) => new(volume);

        public ValueTask RemoveAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<string> MountAsync(string name, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask UnmountAsync(string name, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
