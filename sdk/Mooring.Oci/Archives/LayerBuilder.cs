using System.Formats.Tar;
using System.IO.Compression;

namespace Mooring.Oci.Archives;

/// <summary>
/// Writes a directory as one deterministic gzip layer: the same directory content always gives byte-identical output and
/// therefore the same digests (see <see cref="ArchiveTimestamp"/> for the timestamp rule).
/// </summary>
public static class LayerBuilder
{
    /// <summary>The gzip level used for every layer; fixed so that output does not change with defaults.</summary>
    /// <remarks>The smallest: a layer is compressed once per change (the push caches it) and downloaded by every host
    /// that installs the plugin. samples/InMemoryVolume's layer is 3.67 MB with <see cref="CompressionLevel.Optimal"/>
    /// and 3.53 MB with this (compressing its 7.5 MB rootfs takes 0.4 s instead of 0.2 s; docs/footprint.md).</remarks>
    public const CompressionLevel Compression = CompressionLevel.SmallestSize;

    /// <summary>
    /// Writes <paramref name="directory"/>'s content (not the directory itself) as a <c>.tar.gz</c> and computes the compressed
    /// digest, the size and the uncompressed <c>diff_id</c> in the same pass.
    /// </summary>
    /// <param name="directory">The layer content, for example a plugin's <c>rootfs/</c>.</param>
    /// <param name="outputPath">The file to write; it is replaced if it exists.</param>
    /// <param name="timestamp">The time written into every entry; <see langword="null"/> for <see cref="ArchiveTimestamp.Resolve"/>.</param>
    /// <param name="cancellationToken">Stops the write (the partial file is deleted).</param>
    /// <returns>The layer file and its digests.</returns>
    public static async Task<LayerBlob> CreateFromDirectoryAsync(string directory, string outputPath, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The layer directory '{directory}' does not exist.");
        }

        var time = timestamp ?? ArchiveTimestamp.Resolve();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        try
        {
            string digest, diffId;
            long size;
            await using (var file = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var compressed = new HashingWriteStream(file, leaveOpen: true);
                var gzip = new GZipStream(new GzipHeaderNormalizer(compressed), Compression, leaveOpen: false);
                var uncompressed = new HashingWriteStream(gzip, leaveOpen: true);
                await using (var tar = new TarWriter(uncompressed, TarEntryFormat.Gnu, leaveOpen: true))
                {
                    await DeterministicTar.WriteTreeAsync(tar, directory, "", time, cancellationToken).ConfigureAwait(false);
                }

                // Each digest is read only after everything has been written through its stream (tar end marker, gzip trailer).
                diffId = uncompressed.GetDigest();
                await uncompressed.DisposeAsync().ConfigureAwait(false);
                await gzip.DisposeAsync().ConfigureAwait(false);
                digest = compressed.GetDigest();
                size = compressed.BytesWritten;
                await compressed.DisposeAsync().ConfigureAwait(false);
            }

            return new LayerBlob(outputPath, digest, size, diffId);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }
}
