namespace Mooring.Oci.Registry;

/// <summary>
/// Reads registry answers with a size bound and an idle timeout. A registry is remote and possibly hostile: once headers have
/// arrived, nothing else stops a body that never ends (memory) or never continues (a hung build).
/// </summary>
internal static class ResponseBody
{
    /// <summary>The most a buffered answer (manifest, index, token answer) may hold: 4 MiB, the limit containerd applies to manifests.</summary>
    public const int MaxBufferedBytes = 4 * 1024 * 1024;

    /// <summary>The most of an error body that is read; the rest is informational and dropped.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    /// <summary>Reads at most <paramref name="limit"/> bytes; <c>Complete</c> is <see langword="false"/> when the body had more.</summary>
    public static async Task<(byte[] Bytes, bool Complete)> ReadAsync(HttpContent content, int limit, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await ReadAsync(stream, chunk, idleTimeout, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer.ToArray(), true);
            }

            var keep = (int)Math.Min(read, limit - buffer.Length);
            buffer.Write(chunk, 0, keep);
            if (keep < read)
            {
                return (buffer.ToArray(), false);
            }
        }
    }

    /// <summary>One read that fails with <see cref="ResponseStalledException"/> when no byte arrives within <paramref name="idleTimeout"/>.</summary>
    public static async ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            return await stream.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ResponseStalledException(idleTimeout);
        }
    }
}

/// <summary>A response body sent nothing for longer than <see cref="RegistryClientOptions.ResponseIdleTimeout"/>.</summary>
internal sealed class ResponseStalledException(TimeSpan idleTimeout)
    : IOException($"the answer stalled: no data for {idleTimeout.TotalSeconds:0.#} s after the headers");
