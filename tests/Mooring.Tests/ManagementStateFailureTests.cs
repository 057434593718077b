using System.Text.Json;
using Mooring.Hosting.Management;
using Mooring.Hosting.Metadata;
using Mooring.State;

namespace Mooring.Tests;

/// <summary>How the endpoints that change the whole state (reconcile, prepare-downgrade) word a failure: one way for
/// both, a file-system cause in words and the SDK's own refusals as written (ManagementHandler.StateFailed).</summary>
public sealed class ManagementStateFailureTests
{
    [Theory]
    [InlineData("/reconcile")]
    [InlineData("/prepare-downgrade")]
    public async Task A_full_data_root_is_named_in_words_not_by_a_runtime_resource_key(string path)
    {
        // What .NET raises for ENOSPC: the errno as HResult and, with UseSystemResourceKeys (an SDK default), a resource
        // key for a message, which is what an answer quoting ex.Message would show.
        var diskFull = new IOException("IO_DiskFull_Path_Reason, /data/.mooring/volumes/changes.log", 28);

        var (status, error) = await PostAsync(path, diskFull);

        Assert.Equal(500, status);
        Assert.Equal($"{path[1..]} failed: no space left on the plugin's data root", error);
    }

    [Theory]
    [InlineData("/reconcile")]
    [InlineData("/prepare-downgrade")]
    public async Task A_refusal_of_the_sdk_keeps_its_own_words(string path)
    {
        var refusal = new VolumeDriverException("volume 'v': could not save its state: the state log is broken");

        var (status, error) = await PostAsync(path, refusal);

        Assert.Equal(500, status);
        Assert.Equal($"{path[1..]} failed: volume 'v': could not save its state: the state log is broken", error);
    }

    private static async Task<(int Status, string? Error)> PostAsync(string path, Exception failure)
    {
        var state = new FailingState(failure);
        using var metrics = new PluginMetrics(() => state);
        using var collector = new MetricsCollector(metrics);
        var handler = new ManagementHandler(Task.FromResult<PluginDispatcher>(new StateOnlyDispatcher(state)), null, collector, typeof(FailingState));
        var answer = await handler.HandleAsync("POST", path, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        using var body = JsonDocument.Parse(answer.Response.Body);
        return (answer.Response.StatusCode, body.RootElement.GetProperty("Err").GetString());
    }

    private sealed class StateOnlyDispatcher(IManagedState state) : PluginDispatcher
    {
        public override IManagedState? ManagedState => state;

        public override ValueTask<PluginResponse> DispatchAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
            => throw new NotSupportedException();
    }

    // Every change of the whole state fails with the given exception.
    private sealed class FailingState(Exception failure) : IManagedState
    {
        public ManagedStateSnapshot GetSnapshot() => new([], []);

        public (int Volumes, int Mounts) CountTotals() => (0, 0);

        public Task<MountReconcileResult> ReconcileNowAsync(CancellationToken cancellationToken) => Task.FromException<MountReconcileResult>(failure);

        public Task<ForgetResult> ForgetAsync(string volume, string? mountId, CancellationToken cancellationToken) => Task.FromException<ForgetResult>(failure);

        public Task<DowngradeResult> PrepareDowngradeAsync(CancellationToken cancellationToken) => Task.FromException<DowngradeResult>(failure);
    }
}
