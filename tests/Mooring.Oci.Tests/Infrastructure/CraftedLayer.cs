using System.Formats.Tar;
using System.IO.Compression;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>Builds tar / tar.gz layers entry by entry, including ones no honest image builder would write.</summary>
public sealed class CraftedLayer
{
    private readonly List<PaxTarEntry> _entries = [];

    public CraftedLayer Dir(string name, int mode = 0b111_101_101) => Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)mode });

    public CraftedLayer File(string name, string content = "x", int mode = 0b110_100_100) =>
        File(name, System.Text.Encoding.UTF8.GetBytes(content), mode);

    public CraftedLayer File(string name, byte[] content, int mode = 0b110_100_100) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)mode, DataStream = new MemoryStream(content) });

    public CraftedLayer Symlink(string name, string target) => Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    public CraftedLayer HardLink(string name, string target) => Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });

    /// <summary>A regular file of <paramref name="length"/> zero bytes, streamed (never held in memory).</summary>
    public CraftedLayer Zeros(string name, long length) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new ZeroStream(length) });

    public string WriteTar(string path) => Write(path, gzip: false);

    public string WriteGzip(string path) => Write(path, gzip: true);

    private CraftedLayer Add(PaxTarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    private string Write(string path, bool gzip)
    {
        using (var file = System.IO.File.Create(path))
        using (Stream stream = gzip ? new GZipStream(file, CompressionLevel.SmallestSize) : file)
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var entry in _entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return path;
    }

    /// <summary>A seekable stream of zeros; TarWriter needs the length up front.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            Array.Clear(buffer, offset, n);
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
