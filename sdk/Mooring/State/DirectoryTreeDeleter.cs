using System.Runtime.InteropServices;
using System.Text;

namespace Mooring.State;

/// <summary>
/// The walk behind <see cref="SafeDelete"/>: every directory is opened from its parent's descriptor with
/// <c>O_NOFOLLOW|O_DIRECTORY</c> and every entry removed with <c>unlinkat</c> on that descriptor. No path is ever
/// resolved again, so a directory swapped for a symlink mid-walk is unlinked as a link (or found gone), never
/// entered; depth is bounded by open descriptors (one per level), not by PATH_MAX.
/// </summary>
/// <remarks>
/// A tree deeper than the open-file limit (the .NET runtime raises the soft limit to the hard one at start-up)
/// stops with "Too many open files" naming the entry, like any other error: nothing is lost, the rest stays.
/// Each directory's names are read in full before its entries are removed, so no directory stream stays open per
/// level and memory grows with the widest directory, not with the depth times a stream buffer.
/// </remarks>
internal sealed class DirectoryTreeDeleter : IDisposable
{
    /// <summary>How often one directory is read again because entries appeared while it was emptied.</summary>
    private const int MaxRereads = 16;

    /// <summary>Longest entry path put in a message; a 6 KB path helps nobody.</summary>
    private const int MaxShownPath = 512;

    /// <summary>The empty name: with <c>AT_EMPTY_PATH</c>, statx of the descriptor itself.</summary>
    private static readonly byte[] Self = [0];

    private readonly FileDescriptor _parent;
    private readonly byte[] _name;
    private readonly string _path;
    private readonly string _subject;
    private readonly int _openFlags;

    /// <summary>The directories being emptied, the target first: an explicit stack, so depth costs no thread stack.</summary>
    private readonly List<Frame> _stack = [];

    private DirectoryTreeDeleter(FileDescriptor parent, byte[] name, string path, string subject, int openFlags)
    {
        _parent = parent;
        _name = name;
        _path = path;
        _subject = subject;
        _openFlags = openFlags;
    }

    /// <summary>What <see cref="Locate"/> found at the target path.</summary>
    public enum Found
    {
        /// <summary>Nothing, or not a directory: nothing to delete.</summary>
        Nothing,

        /// <summary>A symlink, which was removed (what it points at is untouched).</summary>
        LinkRemoved,

        /// <summary>A directory, ready for <see cref="Delete"/>.</summary>
        Directory,
    }

    /// <summary>
    /// Opens the chain from <paramref name="root"/> (trusted: it may contain symlinks) down to the parent of
    /// <paramref name="target"/> one component at a time with <c>O_NOFOLLOW</c>, then looks at the target itself.
    /// </summary>
    /// <param name="root">The data root, normalized.</param>
    /// <param name="target">The directory to delete, normalized and strictly inside <paramref name="root"/>.</param>
    /// <param name="subject">How errors name the volume.</param>
    /// <param name="deleter">Set when a directory was found; the caller disposes it.</param>
    public static Found Locate(string root, string target, string subject, out DirectoryTreeDeleter? deleter)
    {
        deleter = null;
        if (Libc.OpenDirectoryFlags is not { } flags || Libc.OpenDirectoryFollowingFlags is not { } following)
        {
            throw new VolumeDriverException(
                $"cannot delete {subject}: safe deletion does not know the open flags of this architecture ({RuntimeInformation.ProcessArchitecture})");
        }

        var current = Libc.OpenDirectory(root, following);
        if (current.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            current.Dispose();
            return errno is Libc.ENOENT or Libc.ENOTDIR
                ? Found.Nothing
                : throw new VolumeDriverException($"cannot delete {subject}: opening the data root '{root}' failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        try
        {
            var components = Path.GetRelativePath(root, target).Split('/');
            var walked = root;
            for (var i = 0; i < components.Length - 1; i++)
            {
                walked = Path.Join(walked, components[i]);
                var component = Encode(components[i]);
                var next = Libc.OpenAt(current, component, flags);
                if (next.IsInvalid)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    next.Dispose();

                    // A symlink on the way (e.g. <root>/a -> /etc, deleting <root>/a/b) would lead outside the root.
                    // O_NOFOLLOW|O_DIRECTORY on a link fails with ELOOP or ENOTDIR depending on the kernel: look.
                    var isLink = errno is Libc.ELOOP or Libc.ENOTDIR
                        && Libc.StatxAt(current, component, Libc.AT_SYMLINK_NOFOLLOW, out var status) == 0 && status.IsSymlink;
                    return errno switch
                    {
                        _ when isLink => throw new VolumeDriverException($"refusing to delete {subject}: '{walked}' is a symbolic link"),
                        Libc.ENOENT or Libc.ENOTDIR => Found.Nothing,
                        _ => throw new VolumeDriverException($"cannot delete {subject}: opening '{walked}' failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
                    };
                }

                current.Dispose();
                current = next;
            }

            var name = Encode(components[^1]);
            if (Libc.StatxAt(current, name, Libc.AT_SYMLINK_NOFOLLOW, out var found) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is Libc.ENOENT or Libc.ENOTDIR
                    ? Found.Nothing
                    : throw new VolumeDriverException($"cannot delete {subject}: looking at it failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            if (found.IsSymlink)
            {
                // The volume's directory itself is a link: remove the link, not what it points at.
                if (Libc.UnlinkAt(current, name, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ENOENT)
                {
                    throw new VolumeDriverException($"cannot delete {subject}: removing the symbolic link failed: {Marshal.GetPInvokeErrorMessage(errno)}");
                }

                return Found.LinkRemoved;
            }

            if (!found.IsDirectory)
            {
                return Found.Nothing;
            }

            deleter = new DirectoryTreeDeleter(current, name, target, subject, flags);
            current = null!;
            return Found.Directory;
        }
        finally
        {
            current?.Dispose();
        }
    }

    /// <summary>Deletes the directory and everything in it, never leaving its mount; checks for cancellation between entries.</summary>
    /// <exception cref="VolumeDriverException">A mount point is in the way, or an entry cannot be opened, read or removed.</exception>
    public void Delete(CancellationToken cancellationToken)
    {
        if (Libc.StatxAt(_parent, Self, Libc.AT_EMPTY_PATH, out var parentStatus) != 0)
        {
            throw Failure("looking at the parent of", null, Marshal.GetLastPInvokeError());
        }

        if (Enter(_parent, parentStatus, _name, out var notDirectory) is not { } top)
        {
            // Replaced since Locate looked: a link is removed as a link, anything else is not a volume's directory.
            if (notDirectory && Libc.StatxAt(_parent, _name, Libc.AT_SYMLINK_NOFOLLOW, out var now) == 0 && now.IsSymlink
                && Libc.UnlinkAt(_parent, _name, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ENOENT)
            {
                throw Failure("removing", null, errno);
            }

            return;
        }

        _stack.Add(top);
        while (_stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = _stack[^1];
            if (frame.Entries is null)
            {
                frame.Entries = ReadEntries(frame.Descriptor, cancellationToken);
                frame.Next = 0;
            }

            if (frame.Next < frame.Entries.Count)
            {
                var (name, type) = frame.Entries[frame.Next++];
                if (Remove(frame, name, type) is { } child)
                {
                    _stack.Add(child);
                }

                continue;
            }

            // Emptied: remove it by name from its parent (the same descriptor it was opened from).
            var parent = _stack.Count > 1 ? _stack[^2].Descriptor : _parent;
            if (Libc.UnlinkAt(parent, frame.Name, Libc.AT_REMOVEDIR) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is Libc.ENOTEMPTY or Libc.EEXIST)
                {
                    // Something was created meanwhile (or moved in): read it again, a bounded number of times.
                    if (++frame.Rereads > MaxRereads)
                    {
                        throw Failure("removing", null, errno);
                    }

                    frame.Entries = null;
                    continue;
                }

                // ENOENT / ENOTDIR: the name was renamed away or now names something else; the directory itself
                // is gone from here, and the parent's next read finds it wherever it went inside the tree.
                if (errno is not (Libc.ENOENT or Libc.ENOTDIR))
                {
                    throw Failure("removing", null, errno);
                }
            }

            frame.Descriptor.Dispose();
            _stack.RemoveAt(_stack.Count - 1);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var frame in _stack)
        {
            frame.Descriptor.Dispose();
        }

        _stack.Clear();
        _parent.Dispose();
    }

    private static byte[] Encode(string name)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, bytes);
        return bytes;
    }

    /// <summary>Removes one entry of <paramref name="frame"/>: unlinks a non-directory, or opens a directory to walk into.</summary>
    /// <returns>The directory to empty next, or <see langword="null"/> when the entry is gone.</returns>
    private Frame? Remove(Frame frame, byte[] name, byte type)
    {
        // The type read with the entry can be stale (the swap dance) or unknown; each wrong guess is corrected by
        // the kernel's answer (EISDIR, ELOOP, ENOTDIR) and tried the other way.
        var asDirectory = type is DirectoryEntry.TypeDirectory or DirectoryEntry.TypeUnknown;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (asDirectory)
            {
                var entered = Enter(frame.Descriptor, frame.Status, name, out var notDirectory);
                if (entered is not null || !notDirectory)
                {
                    return entered;
                }

                asDirectory = false;
                continue;
            }

            if (Libc.UnlinkAt(frame.Descriptor, name, 0) == 0)
            {
                return null;
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Libc.ENOENT:
                    return null;
                case Libc.EISDIR:
                    asDirectory = true;
                    continue;
                default:
                    throw Failure("removing", name, errno);
            }
        }

        // Changing type faster than the walk can look: leave it; removing the parent fails and reads it again.
        return null;
    }

    /// <summary>
    /// Opens directory <paramref name="name"/> of <paramref name="directory"/> (the top of the stack, or the target's
    /// parent when the stack is empty) without following a symlink, and refuses when it lies on another mount.
    /// </summary>
    /// <param name="directory">The directory holding <paramref name="name"/>.</param>
    /// <param name="directoryStatus">Its statx, to compare mounts with.</param>
    /// <param name="name">The entry's NUL-terminated name.</param>
    /// <param name="notDirectory">Set when the entry is not (or no longer) a directory: a symlink, a file.</param>
    /// <returns>The opened directory, or <see langword="null"/> when it is gone or not a directory.</returns>
    private Frame? Enter(FileDescriptor directory, in FileStatus directoryStatus, byte[] name, out bool notDirectory)
    {
        notDirectory = false;
        var opened = Libc.OpenAt(directory, name, _openFlags);
        if (opened.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            opened.Dispose();
            switch (errno)
            {
                case Libc.ENOENT:
                    return null;
                case Libc.ELOOP or Libc.ENOTDIR:
                    notDirectory = true;
                    return null;
                default:
                    throw Failure("opening", name, errno);
            }
        }

        try
        {
            // Checked on the descriptor itself, after opening: a mount made after the mount table was read, or one
            // the table lists under another path, stops the walk before anything on it is touched.
            if (Libc.StatxAt(opened, Self, Libc.AT_EMPTY_PATH, out var status) != 0)
            {
                throw Failure("looking at", name, Marshal.GetLastPInvokeError());
            }

            if (directoryStatus.IsOtherMount(status))
            {
                var relative = RelativePath(name);
                throw new VolumeDriverException(relative.Length == 0
                    ? $"refusing to delete {_subject}: it is a mount point; unmount it first"
                    : $"refusing to delete {_subject}: '{Shorten(_path + "/" + relative)}' is a mount point; unmount it first");
            }

            var frame = new Frame(opened, name, status);
            opened = null!;
            return frame;
        }
        finally
        {
            opened?.Dispose();
        }
    }

    /// <summary>Reads all entries of the directory on top of the stack (names first, then removal: no stream stays open per level).</summary>
    private List<(byte[] Name, byte Type)> ReadEntries(FileDescriptor directory, CancellationToken cancellationToken)
    {
        var stream = Libc.OpenDirectoryStream(directory, _openFlags, out var errno);
        if (stream == IntPtr.Zero)
        {
            throw Failure("reading", null, errno);
        }

        var entries = new List<(byte[], byte)>();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = Libc.ReadDirectory(stream, out errno);
                if (entry == IntPtr.Zero)
                {
                    return errno == 0 ? entries : throw Failure("reading", null, errno);
                }

                if (DirectoryEntry.Read(entry) is { } parsed)
                {
                    entries.Add(parsed);
                }
            }
        }
        finally
        {
            Libc.CloseDirectoryStream(stream);
        }
    }

    /// <summary>The error for a failed system call, naming the volume, the entry (relative to it) and the cause.</summary>
    /// <param name="action">What was being done.</param>
    /// <param name="name">The entry in the directory on top of the stack, or <see langword="null"/> for that directory.</param>
    /// <param name="errno">The cause.</param>
    private VolumeDriverException Failure(string action, byte[]? name, int errno)
    {
        var relative = RelativePath(name);
        return new($"cannot delete {_subject}: {action} '{(relative.Length == 0 ? "." : Shorten(relative))}' failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>
    /// The path of <paramref name="name"/> in the directory on top of the stack, relative to the target; built only
    /// for messages, so a deep walk keeps names, not paths.
    /// </summary>
    private string RelativePath(byte[]? name)
    {
        if (_stack.Count == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>(_stack.Count);
        for (var i = 1; i < _stack.Count; i++)
        {
            if (_stack[i].Name is { } part)
            {
                parts.Add(Decode(part));
            }
        }

        if (name is not null)
        {
            parts.Add(Decode(name));
        }

        return string.Join('/', parts);
    }

    private static string Decode(byte[] name) => Encoding.UTF8.GetString(name, 0, name.Length - 1);

    private static string Shorten(string path)
        => path.Length <= MaxShownPath ? path : string.Concat(path.AsSpan(0, MaxShownPath / 4), "/…/", path.AsSpan(path.Length - (MaxShownPath * 3 / 4)));

    /// <summary>One directory being emptied: its descriptor, its name in the parent, and the entries left to remove.</summary>
    private sealed class Frame(FileDescriptor descriptor, byte[] name, FileStatus status)
    {
        public FileDescriptor Descriptor { get; } = descriptor;

        /// <summary>The NUL-terminated name in the parent, to remove the directory by once it is empty.</summary>
        public byte[] Name { get; } = name;

        /// <summary>Its statx, which every directory opened from it is compared with.</summary>
        public FileStatus Status { get; } = status;

        /// <summary>The entries read and not yet removed (from <see cref="Next"/>); <see langword="null"/> to read them again.</summary>
        public List<(byte[] Name, byte Type)>? Entries { get; set; }

        public int Next { get; set; }

        public int Rereads { get; set; }
    }
}
