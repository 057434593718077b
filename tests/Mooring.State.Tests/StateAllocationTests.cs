namespace Mooring.State.Tests;

[CollectionDefinition(nameof(StateAllocationTests), DisableParallelization = true)]
public sealed class StateAllocationCollection;

/// <summary>
/// What a durable change of the volume state allocates, counted over every thread (its sync completes on another).
/// Alone in its collection, so no other test's allocations are counted; the median of many rounds, so what a thread
/// left running by a test before (a process reader, a timer) allocates in a few of them is not either. A state-backed
/// plugin's lifecycle is these changes: each one it allocates less is a young-generation GC less often, and fewer
/// objects alive at each.
/// </summary>
[Collection(nameof(StateAllocationTests))]
public sealed class StateAllocationTests : IDisposable
{
    private const int Rounds = 300;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_create_an_update_and_a_delete_allocate_less_than_a_kilobyte_each()
    {
        await using var store = await VolumeStateStore.OpenAsync(_dir.Path);
        var (create, update, delete) = (new List<long>(), new List<long>(), new List<long>());
        for (var i = -50; i < Rounds; i++)
        {
            // The record is the caller's, and the same size every round: names of one length.
            var record = new VolumeRecord($"v{i + 1000:D4}", DateTimeOffset.UnixEpoch);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await store.CreateAsync(record);
            var created = GC.GetTotalAllocatedBytes(precise: true);
            store.TryGet(record.Name, out var stored);
            await store.UpdateAsync(stored! with { Phase = VolumeRecordPhase.Removing });
            var updated = GC.GetTotalAllocatedBytes(precise: true);
            await store.DeleteAsync(record.Name);
            var deleted = GC.GetTotalAllocatedBytes(precise: true);
            if (i >= 0)
            {
                create.Add(created - before);
                update.Add(updated - created);
                delete.Add(deleted - updated);
            }
        }

        // Measured 768, 727 and 200 B; 2,370, 2,297 and 873 B before each change began building its file's path
        // twice and its JSON writer, a lock and copies of empty maps anew (docs/benchmarks.md).
        Assert.All(
            new[] { ("create", Median(create)), ("update", Median(update)), ("delete", Median(delete)) },
            change => Assert.True(change.Item2 < 1024, $"a {change.Item1} allocated {change.Item2} B"));
    }

    private static long Median(List<long> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
