using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Mooring.State;

/// <summary>
/// The on-disk form of a <see cref="StateLog"/>, and reading it back after a crash.
/// </summary>
/// <remarks>
/// <para>The file starts with <see cref="Header"/>; each change follows as one record:</para>
/// <code>
/// u32 payload length │ u32 CRC-32C of the payload │ payload: u8 kind │ u16 name length │ name (UTF-8) │ content
/// </code>
/// <para>
/// (little-endian; kind 1 carries the name's whole file content, kind 2 says its file is deleted). A record is written
/// by one <c>write</c> and acknowledged after the <c>fdatasync</c> that covers it, so a crash can leave only the last
/// record torn (cut short, or its pages unwritten and read back as zeros): that one was never acknowledged and is
/// dropped. A bad record with data after it cannot come from a crash, so the log is refused rather than guessed at.
/// The log keeps zero-filled space past its last record (<see cref="StateLog.PreallocationChunk"/>): zeros where a
/// record header should be are its end.
/// </para>
/// </remarks>
internal static class StateLogFormat
{
    /// <summary>
    /// The first bytes of every log. The last byte is the format: a later one makes this version refuse the log (its
    /// records could mean something else) instead of dropping changes it cannot read.
    /// </summary>
    public static readonly byte[] Header = "MOORLOG\u0001"u8.ToArray();

    /// <summary>The bytes before a record's payload: its length and CRC.</summary>
    public const int RecordHeaderSize = 8;

    private const byte Content = 1;
    private const byte Deleted = 2;

    // A record file is a few hundred bytes; anything near this is not one of ours.
    private const int MaxPayload = 64 << 20;

    /// <summary>One record: the whole new content of <paramref name="name"/>'s file, or <see langword="null"/> when
    /// the file is deleted.</summary>
    public static byte[] Encode(string name, byte[]? content)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        var payloadLength = 3 + nameLength + (content?.Length ?? 0);
        var record = new byte[RecordHeaderSize + payloadLength];
        var payload = record.AsSpan(RecordHeaderSize);
        payload[0] = content is null ? Deleted : Content;
        BinaryPrimitives.WriteUInt16LittleEndian(payload[1..], checked((ushort)nameLength));
        Encoding.UTF8.GetBytes(name, payload.Slice(3, nameLength));
        content?.CopyTo(payload[(3 + nameLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C(payload));
        return record;
    }

    /// <summary>
    /// Reads the log at <paramref name="path"/> (none yet: no changes). <see cref="Replay.ValidLength"/> is where the
    /// good records end; anything after it is a torn record to drop.
    /// </summary>
    /// <exception cref="InvalidDataException">The log is not one this version reads, or it is damaged before its end;
    /// the message names the file, the place and what to do.</exception>
    public static Replay Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return new Replay([], 0, 0);
        }

        // A crash between creating the log and its header being durable leaves a prefix of the header: an empty log.
        var headerLength = Math.Min(bytes.Length, Header.Length);
        if (!bytes.AsSpan(0, headerLength).SequenceEqual(Header.AsSpan(0, headerLength)))
        {
            throw Refused(path, "it does not start like a state log of this format (a newer plugin version may have written it)");
        }

        var changes = new List<Change>();
        var position = Header.Length;
        while (position < bytes.Length)
        {
            var rest = bytes.AsSpan(position);
            if (rest.Length < RecordHeaderSize)
            {
                break; // a record cut inside its header
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
            if (length < 3 || length > MaxPayload || RecordHeaderSize + (long)length > rest.Length)
            {
                // Cut short by a crash, or the zeros of pages never written: nothing may follow but zeros.
                if (length <= MaxPayload && RecordHeaderSize + (long)length > rest.Length || IsZero(rest))
                {
                    break;
                }

                throw Refused(path, $"the record at byte {position} has an impossible length ({length}) and data follows it");
            }

            var payload = rest.Slice(RecordHeaderSize, (int)length);
            if (Crc32C(payload) != crc)
            {
                if (IsZero(rest[(RecordHeaderSize + (int)length)..]))
                {
                    break; // the last record, torn
                }

                throw Refused(path, $"the record at byte {position} fails its checksum and more records follow it");
            }

            changes.Add(Decode(path, position, payload));
            position += RecordHeaderSize + (int)length;
        }

        var validLength = bytes.Length < Header.Length ? 0 : position;
        return new Replay(changes, validLength, bytes.AsSpan(validLength).LastIndexOfAnyExcept((byte)0) + 1);
    }

    private static Change Decode(string path, int position, ReadOnlySpan<byte> payload)
    {
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[1..]);
        if (payload[0] is not (Content or Deleted) || 3 + nameLength > payload.Length || (payload[0] == Deleted && payload.Length != 3 + nameLength))
        {
            throw Refused(path, $"the record at byte {position} is of a kind this plugin does not know");
        }

        var name = Encoding.UTF8.GetString(payload.Slice(3, nameLength));
        return new Change(name, payload[0] == Deleted ? null : payload[(3 + nameLength)..].ToArray());
    }

    /// <summary>Why the log at <paramref name="path"/> is not replayed, and what the operator can do.</summary>
    public static InvalidDataException Refused(string path, string problem)
        => new($"the state log '{path}' cannot be used: {problem}. The plugin does not guess which changes count; " +
            "move the file away to start from the state files alone (the changes only it holds are then lost)");

    private static bool IsZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    // CRC-32C (Castagnoli), hardware-accelerated where the CPU has it; 8 bytes at a time, then the rest.
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>One change read back: the name's file content, or <see langword="null"/> for a deleted file.</summary>
    public sealed record Change(string Name, byte[]? Content);

    /// <summary>What a log holds.</summary>
    /// <param name="Changes">The good records, oldest first.</param>
    /// <param name="ValidLength">Where they end (0 when there is no log).</param>
    /// <param name="TornLength">How many bytes after the good records are a torn record, dropped: up to the last one
    /// that is not zero.</param>
    public sealed record Replay(IReadOnlyList<Change> Changes, long ValidLength, long TornLength);
}
