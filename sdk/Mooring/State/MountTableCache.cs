using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Mooring.State;

/// <summary>
/// The last <see cref="MountTable"/> read, read again only when the kernel says the mount table changed: an open
/// <c>/proc/self/mountinfo</c> reports <c>POLLPRI</c> to poll(2) after any mount, unmount, move or remount in the
/// process's mount namespace since the previous poll (fs/proc_namespace.c, <c>mounts_poll</c>; what util-linux's
/// libmount monitor relies on). docs/reliability.md, the <c>SafeDelete</c> row, says what this guarantees.
/// </summary>
/// <remarks>
/// Why: every Remove checks the mount table twice (the volume's own check, then <see cref="SafeDelete"/>'s), and reading
/// and parsing the table each time was the largest user-space cost of a durable lifecycle (8 % of its CPU samples).
/// The poll comes first and the read after it, so a change during the read is reported again by the next poll: the
/// table returned is never older than the moment <see cref="Current"/> was called. Where the poll cannot be used, every
/// call reads the table, as before.
/// </remarks>
internal sealed class MountTableCache : IDisposable
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private SafeFileHandle? _handle;
    private MountTable? _table;
    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>Watches <paramref name="path"/>, a <c>mountinfo</c> file.</summary>
    public MountTableCache(string path = MountTable.MountInfoPath) => _path = path;

    /// <summary>The process's cache.</summary>
    public static MountTableCache Shared { get; } = new();

    /// <summary>How many times the table was read and parsed (for tests).</summary>
    public int Reads { get; private set; }

    /// <summary>The mount table as it is now.</summary>
    /// <exception cref="IOException">The table cannot be read.</exception>
    public MountTable Current()
    {
        lock (_lock)
        {
            if (_table is null || _handle is null || Changed(_handle))
            {
                _table = Read();
            }

            return _table;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _handle?.Dispose();
            _handle = null;
            _table = null;
        }
    }

    // Anything but "no event" counts as a change, errors included: a table read too often is only slower.
    private static bool Changed(SafeFileHandle handle)
        => Libc.PollNow(handle, Libc.POLLPRI) is var events && (events < 0 || (events & (Libc.POLLPRI | Libc.POLLERR)) != 0);

    private MountTable Read()
    {
        // The kernel records the table's version when the file is opened, so a first read after opening sees every
        // change the next poll does not report.
        _handle ??= File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
        var length = 0;
        while (true)
        {
            var read = RandomAccess.Read(_handle, _buffer.AsSpan(length), length);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        Reads++;
        return MountTable.Parse(Encoding.UTF8.GetString(_buffer, 0, length));
    }
}
