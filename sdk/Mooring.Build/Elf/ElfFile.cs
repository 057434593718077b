using System.Buffers.Binary;
using System.Text;

namespace Mooring.Build.Elf;

/// <summary>
/// The parts of an ELF file that decide what the dynamic loader needs: the interpreter (PT_INTERP), the
/// libraries (DT_NEEDED), the library's own name (DT_SONAME), its search paths (DT_RUNPATH/DT_RPATH) and the symbol
/// versions a library defines (DT_VERDEF).
/// Read straight from the bytes, so it works for any architecture the build machine can hold.
/// </summary>
internal sealed class ElfFile
{
    private const int PtLoad = 1;
    private const int PtDynamic = 2;
    private const int PtInterp = 3;
    private const long DtNull = 0;
    private const long DtNeeded = 1;
    private const long DtStrtab = 5;
    private const long DtSoname = 14;
    private const long DtRpath = 15;
    private const long DtRunpath = 29;
    private const long DtVerdef = 0x6ffffffc;
    private const long DtVerdefnum = 0x6ffffffd;
    private const int VerFlgBase = 1;

    private ElfFile(bool is64Bit, ushort machine, string? interpreter, IReadOnlyList<string> needed, string? soname,
        IReadOnlyList<string> rpath, IReadOnlyList<string> runpath, IReadOnlyList<string> versionDefinitions)
    {
        Is64Bit = is64Bit;
        Machine = machine;
        Interpreter = interpreter;
        Needed = needed;
        Soname = soname;
        RPath = rpath;
        RunPath = runpath;
        VersionDefinitions = versionDefinitions;
    }

    /// <summary>ELFCLASS64 (true) or ELFCLASS32.</summary>
    public bool Is64Bit { get; }

    /// <summary>e_machine (62 = x86-64, 183 = AArch64).</summary>
    public ushort Machine { get; }

    /// <summary>The PT_INTERP path, or null for a shared library or a static binary.</summary>
    public string? Interpreter { get; }

    /// <summary>DT_NEEDED entries in file order.</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>DT_SONAME, if any.</summary>
    public string? Soname { get; }

    /// <summary>DT_RPATH directories (ignored by the loader when DT_RUNPATH is present).</summary>
    public IReadOnlyList<string> RPath { get; }

    /// <summary>DT_RUNPATH directories.</summary>
    public IReadOnlyList<string> RunPath { get; }

    /// <summary>
    /// The symbol versions the file defines (DT_VERDEF), without the entry naming the file itself: for glibc's
    /// libc.so.6 <c>GLIBC_2.2.5</c> … <c>GLIBC_2.36</c> and <c>GLIBC_ABI_DT_RELR</c>. Empty for a file without versions.
    /// </summary>
    public IReadOnlyList<string> VersionDefinitions { get; }

    /// <summary>True when the first four bytes of <paramref name="path"/> are the ELF magic.</summary>
    public static bool HasElfMagic(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && IsMagic(magic);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a little-endian ELF file.</summary>
    public static ElfFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses ELF bytes; <paramref name="name"/> only appears in error messages.</summary>
    public static ElfFile Parse(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length < 52 || !IsMagic(data))
        {
            throw new InvalidDataException($"'{name}' is not an ELF file.");
        }

        var is64 = data[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new InvalidDataException($"'{name}' has an unknown ELF class {data[4]}."),
        };
        if (data[5] != 1)
        {
            throw new InvalidDataException($"'{name}' is a big-endian ELF file; only little-endian targets are supported.");
        }

        var machine = U16(data, 18);
        var phoff = is64 ? U64(data, 32) : U32(data, 28);
        var phentsize = U16(data, is64 ? 54 : 42);
        var phnum = U16(data, is64 ? 56 : 44);

        var segments = new List<(long Type, long Offset, long VAddr, long FileSize)>();
        for (var i = 0; i < phnum; i++)
        {
            var at = checked(phoff + (long)i * phentsize);
            Require(data, at, is64 ? 56 : 32, name);
            var p = (int)at;
            segments.Add(is64
                ? (U32(data, p), U64(data, p + 8), U64(data, p + 16), U64(data, p + 32))
                : (U32(data, p), U32(data, p + 4), U32(data, p + 8), U32(data, p + 16)));
        }

        string? interpreter = null;
        var needed = new List<string>();
        string? soname = null;
        var rpath = new List<string>();
        var runpath = new List<string>();
        var versionDefinitions = new List<string>();

        foreach (var segment in segments)
        {
            if (segment.Type == PtInterp)
            {
                Require(data, segment.Offset, segment.FileSize, name);
                interpreter = CString(data, segment.Offset, name);
            }
        }

        foreach (var segment in segments.Where(s => s.Type == PtDynamic))
        {
            Require(data, segment.Offset, segment.FileSize, name);
            var entrySize = is64 ? 16 : 8;
            var entries = new List<(long Tag, long Value)>();
            for (var at = segment.Offset; at + entrySize <= segment.Offset + segment.FileSize; at += entrySize)
            {
                var p = (int)at;
                var tag = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(data[p..]) : U32(data, p);
                var value = is64 ? U64(data, p + 8) : U32(data, p + 4);
                if (tag == DtNull)
                {
                    break;
                }

                entries.Add((tag, value));
            }

            var strtabAddress = entries.Where(e => e.Tag == DtStrtab).Select(e => (long?)e.Value).FirstOrDefault()
                ?? throw new InvalidDataException($"'{name}' has a dynamic section without a string table.");
            var strtab = AddressToOffset(segments, strtabAddress)
                ?? throw new InvalidDataException($"'{name}': the dynamic string table is outside every loadable segment.");

            foreach (var (tag, value) in entries)
            {
                switch (tag)
                {
                    case DtNeeded:
                        needed.Add(CString(data, strtab + value, name));
                        break;
                    case DtSoname:
                        soname = CString(data, strtab + value, name);
                        break;
                    case DtRpath:
                        rpath.AddRange(SplitPath(CString(data, strtab + value, name)));
                        break;
                    case DtRunpath:
                        runpath.AddRange(SplitPath(CString(data, strtab + value, name)));
                        break;
                }
            }

            var verdefAddress = entries.Where(e => e.Tag == DtVerdef).Select(e => (long?)e.Value).FirstOrDefault();
            if (verdefAddress is { } address)
            {
                var verdef = AddressToOffset(segments, address)
                    ?? throw new InvalidDataException($"'{name}': the version definitions are outside every loadable segment.");
                var count = entries.Where(e => e.Tag == DtVerdefnum).Select(e => e.Value).FirstOrDefault();
                ReadVersionDefinitions(data, verdef, count, strtab, name, versionDefinitions);
            }
        }

        return new ElfFile(is64, machine, interpreter, needed, soname, rpath, runpath, versionDefinitions);
    }

    /// <summary>
    /// Walks the <paramref name="count"/> Elf_Verdef entries at <paramref name="offset"/> (the same layout in ELF32 and
    /// ELF64: vd_flags at 2, vd_aux at 12, vd_next at 16) and adds the name of each, from its first Elf_Verdaux.
    /// </summary>
    private static void ReadVersionDefinitions(ReadOnlySpan<byte> data, long offset, long count, long strtab, string name, List<string> into)
    {
        const int VerdefSize = 20;
        const int VerdauxSize = 8;
        var at = offset;
        for (var i = 0; i < count; i++)
        {
            Require(data, at, VerdefSize, name);
            var flags = U16(data, (int)at + 2);
            var aux = U32(data, (int)at + 12);
            var next = U32(data, (int)at + 16);
            Require(data, at + aux, VerdauxSize, name);
            if ((flags & VerFlgBase) == 0)
            {
                into.Add(CString(data, strtab + U32(data, (int)(at + aux)), name));
            }

            // vd_next is 0 on the last entry; a count larger than the chain must not loop over the same entry.
            if (next == 0)
            {
                break;
            }

            at += next;
        }
    }

    private static bool IsMagic(ReadOnlySpan<byte> data) => data[0] == 0x7f && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    private static IEnumerable<string> SplitPath(string value) => value.Split(':', StringSplitOptions.RemoveEmptyEntries);

    private static long? AddressToOffset(List<(long Type, long Offset, long VAddr, long FileSize)> segments, long address)
    {
        foreach (var s in segments)
        {
            if (s.Type == PtLoad && address >= s.VAddr && address < s.VAddr + s.FileSize)
            {
                return address - s.VAddr + s.Offset;
            }
        }

        return null;
    }

    private static void Require(ReadOnlySpan<byte> data, long offset, long length, string name)
    {
        if (offset < 0 || length < 0 || offset + length > data.Length)
        {
            throw new InvalidDataException($"'{name}' is truncated or corrupt (a header points past the end of the file).");
        }
    }

    private static string CString(ReadOnlySpan<byte> data, long offset, string name)
    {
        Require(data, offset, 0, name);
        var rest = data[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException($"'{name}' has an unterminated string in its dynamic section.");
        }

        return Encoding.UTF8.GetString(rest[..end]);
    }

    private static ushort U16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);

    private static long U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    private static long U64(ReadOnlySpan<byte> data, int offset)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]);
        return value > long.MaxValue ? throw new InvalidDataException("ELF offset out of range.") : (long)value;
    }
}
