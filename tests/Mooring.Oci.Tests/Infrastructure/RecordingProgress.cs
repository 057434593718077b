using System.Collections.Concurrent;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them later on the thread pool).</summary>
public sealed class RecordingProgress : IProgress<RegistryProgress>
{
    public ConcurrentQueue<RegistryProgress> Reports { get; } = new();

    public void Report(RegistryProgress value) => Reports.Enqueue(value);

    public int Count(RegistryProgressKind kind) => Reports.Count(r => r.Kind == kind);

    /// <summary>Bytes actually sent: the last running total of every uploaded blob.</summary>
    public long BytesUploaded => Reports.Where(r => r.Kind == RegistryProgressKind.BlobUploaded).Sum(r => r.BytesSent);

    public long BytesSentReports => Reports.Where(r => r.Kind == RegistryProgressKind.BlobUploading).Select(r => r.BytesSent).DefaultIfEmpty(0).Max();
}
