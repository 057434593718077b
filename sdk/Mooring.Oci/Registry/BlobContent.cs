using Mooring.Oci.Archives;
using Mooring.Oci.References;

namespace Mooring.Oci.Registry;

/// <summary>A blob to upload: its digest, its size and a way to read it again for every attempt.</summary>
public sealed class BlobContent
{
    private readonly Func<Stream> _open;

    private BlobContent(string digest, long length, Func<Stream> open)
    {
        Digest = digest;
        Length = length;
        _open = open;
    }

    /// <summary>The <c>sha256:</c> digest of the content.</summary>
    public string Digest { get; }

    /// <summary>The size in bytes.</summary>
    public long Length { get; }

    /// <summary>A blob held in memory (configs, small files).</summary>
    /// <param name="content">The bytes; they are not copied, so do not change them afterwards.</param>
    public static BlobContent FromBytes(ReadOnlyMemory<byte> content) =>
        new(Digests.Sha256(content.Span), content.Length, () => new MemoryStream(content.ToArray(), writable: false));

    /// <summary>A blob in a file whose digest is already known (for example a layer from <see cref="LayerBuilder"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="digest">Its <c>sha256:</c> digest.</param>
    public static BlobContent FromFile(string path, string digest)
    {
        if (!Digests.IsValid(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest.", nameof(digest));
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The blob file '{path}' does not exist.", path);
        }

        return new BlobContent(digest, info.Length, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    /// <summary>A blob in a file; the digest is computed by reading the file once.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<BlobContent> FromFileAsync(string path, CancellationToken cancellationToken = default) =>
        FromFile(path, await Digests.Sha256FileAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Opens a new stream over the content.</summary>
    public Stream OpenRead() => _open();
}
