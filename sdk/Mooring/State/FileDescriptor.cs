using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>An open file descriptor, closed exactly once even when a walk is abandoned by an exception.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="fd"/>, as returned by <c>open</c>: negative means the call failed.</summary>
    public FileDescriptor(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
