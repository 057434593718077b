using System.Formats.Tar;
using System.IO.Compression;

namespace Mooring.Oci.Tests.Infrastructure;

/// <summary>Builds tar / tar.gz layers entry by entry, including ones no honest image builder would write.</summary>
/// <param name="format">Pax by default; GNU for names that .NET's PAX reader would refuse (a newline in a PAX record).</param>
public sealed class CraftedLayer(TarEntryFormat format = TarEntryFormat.Pax)
{
    private readonly List<TarEntry> _entries = [];

    public CraftedLayer Dir(string name, int mode = 0b111_101_101) => Add(TarEntryType.Directory, name, mode);

    public CraftedLayer File(string name, string content = "x", int mode = 0b110_100_100) =>
        File(name, System.Text.Encoding.UTF8.GetBytes(content), mode);

    public CraftedLayer File(string name, byte[] content, int mode = 0b110_100_100) =>
        Add(TarEntryType.RegularFile, name, mode, data: new MemoryStream(content));

    public CraftedLayer Symlink(string name, string target) => Add(TarEntryType.SymbolicLink, name, link: target);

    public CraftedLayer HardLink(string name, string target) => Add(TarEntryType.HardLink, name, link: target);

    /// <summary>A regular file of <paramref name="length"/> zero bytes, streamed (never held in memory).</summary>
    public CraftedLayer Zeros(string name, long length) => Add(TarEntryType.RegularFile, name, data: new ZeroStream(length));

    public string WriteTar(string path) => Write(path, gzip: false);

    public string WriteGzip(string path) => Write(path, gzip: true);

    private CraftedLayer Add(TarEntryType type, string name, int mode = 0b110_100_100, string? link = null, Stream? data = null)
    {
        TarEntry entry = format == TarEntryFormat.Gnu ? new GnuTarEntry(type, name) : new PaxTarEntry(type, name);
        entry.Mode = (UnixFileMode)mode;
        if (link is not null)
        {
            entry.LinkName = link;
        }

        if (data is not null)
        {
            entry.DataStream = data;
        }
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
            var n = (int)Math.Min(count, length - Position);
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
