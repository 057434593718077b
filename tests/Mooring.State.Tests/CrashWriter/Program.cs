// Rewrites volume records and mount counts in a loop until it is killed. The test SIGKILLs it at random moments and
// checks that every record still loads, either as it was or as it became.
// Usage: CrashWriter <dataRoot>
//        CrashWriter <dataRoot> --once   one of each state change, for FsyncOrderTests to trace with strace
using Mooring.State;

var dataRoot = args[0];
var store = await VolumeStateStore.OpenAsync(dataRoot);
var ledger = await MountLedger.OpenAsync(dataRoot);

if (args is [_, "--once"])
{
    // Opening a marker file before each change puts a recognisable openat in the trace, so the test can tell which
    // system calls belong to which change (and that a directory fsync happened before the change returned).
    void Mark(string step) => File.Create(Path.Join(dataRoot, "step-" + step)).Dispose();

    // Changes of a second volume that stay, so the checkpoint at the end has files to write.
    await store.CreateAsync(new VolumeRecord("kept", DateTimeOffset.UnixEpoch));
    await ledger.AcquireAsync("kept", "id-kept");

    Mark("record-write");
    await store.CreateAsync(new VolumeRecord("probe", DateTimeOffset.UnixEpoch));
    Mark("ledger-write");
    await ledger.AcquireAsync("probe", "id-probe");
    Mark("ledger-delete");
    await ledger.ReleaseAsync("probe", "id-probe");
    Mark("record-delete");
    await store.DeleteAsync("probe");
    Mark("checkpoint");
    await store.DisposeAsync();
    await ledger.DisposeAsync();
    Mark("end");
    return;
}

string[] names = ["alpha", "beta", "gamma", "delta"];

// Each generation's payload is large enough to need several write(2) calls, so a kill can land inside one file write.
static string Payload(long generation) => string.Concat(Enumerable.Repeat(generation.ToString("D12") + ";", 8192));

long generation = 0;
foreach (var record in store.List())
{
    generation = Math.Max(generation, long.Parse(record.Properties["generation"]));
}

var announced = false;
while (true)
{
    generation++;
    foreach (var name in names)
    {
        var record = new VolumeRecord(name, DateTimeOffset.UnixEpoch)
        {
            Options = new Dictionary<string, string> { ["size"] = "1G" },
            Properties = new Dictionary<string, string> { ["generation"] = generation.ToString(), ["payload"] = Payload(generation) },
        };
        if (store.TryGet(name, out _))
        {
            await store.UpdateAsync(record);
        }
        else
        {
            await store.CreateAsync(record);
        }

        // Alternate between one and two counted mounts so the ledger file is rewritten and deleted too.
        if (ledger.GetTotal(name) == 0)
        {
            await ledger.AcquireAsync(name, "id-" + name);
        }
        else
        {
            await ledger.ReleaseAsync(name, "id-" + name);
        }
    }

    if (!announced)
    {
        // A file rather than stdout: the test must not depend on pipe buffering to know the writer is under way.
        File.WriteAllText(Path.Join(dataRoot, "writing"), "");
        announced = true;
    }
}
