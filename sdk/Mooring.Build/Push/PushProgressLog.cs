using Mooring.Oci.Registry;

namespace Mooring.Build.Push;

/// <summary>
/// Writes registry progress to the build log at normal importance (visible with -v:n) and keeps the totals the summary needs.
/// Mooring.Oci reports synchronously on the pushing thread, inside the task's Execute, so logging from here is safe.
/// </summary>
internal sealed class PushProgressLog(Action<string> log, IReadOnlyDictionary<string, string> blobNames) : IProgress<RegistryProgress>
{
    private readonly Dictionary<string, int> _lastQuarter = new(StringComparer.Ordinal);

    /// <summary>Bytes of blob content sent (a blob that was retried counts once, with its final size).</summary>
    public long BytesUploaded { get; private set; }

    public void Report(RegistryProgress value)
    {
        var name = blobNames.TryGetValue(value.Digest, out var n) ? n : "blob";
        switch (value.Kind)
        {
            case RegistryProgressKind.BlobSkipped:
                log($"  {name} {PushSettings.Short(value.Digest)}: already in the registry, not sent ({PushSettings.Size(value.TotalBytes)}).");
                break;
            case RegistryProgressKind.BlobMounted:
                log($"  {name} {PushSettings.Short(value.Digest)}: mounted from another repository, not sent.");
                break;
            case RegistryProgressKind.BlobUploading when value.TotalBytes > 0:
                // A line per quarter: enough to see a slow upload move, not a line per chunk.
                var quarter = (int)(value.BytesSent * 4 / value.TotalBytes);
                if (quarter is > 0 and < 4 && (!_lastQuarter.TryGetValue(value.Digest, out var last) || quarter > last))
                {
                    _lastQuarter[value.Digest] = quarter;
                    log($"  {name} {PushSettings.Short(value.Digest)}: {PushSettings.Size(value.BytesSent)} of {PushSettings.Size(value.TotalBytes)} sent.");
                }

                break;
            case RegistryProgressKind.BlobUploaded:
                BytesUploaded += value.TotalBytes;
                log($"  {name} {PushSettings.Short(value.Digest)}: uploaded {PushSettings.Size(value.TotalBytes)} ({value.TotalBytes} bytes).");
                break;
            case RegistryProgressKind.ManifestPushed:
                log($"  manifest {PushSettings.Short(value.Digest)}: pushed as {value.Repository}:{value.Reference}.");
                break;
        }
    }
}
