using System.Runtime.InteropServices;

namespace Mooring.State;

/// <summary>
/// <c>struct statx</c> (256 bytes, fixed-width fields: one layout on every architecture), reduced to the fields the safe
/// delete walk reads.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct FileStatus
{
    /// <summary>STATX_BASIC_STATS | STATX_MNT_ID.</summary>
    public const uint RequestMask = 0x7ff | StatxMountId;

    private const uint StatxType = 0x1;
    private const uint StatxMountId = 0x1000;
    private const ulong AttributeMountRoot = 0x2000;
    private const int TypeMask = 0xf000;
    private const int TypeDirectory = 0x4000;
    private const int TypeSymlink = 0xa000;

    [FieldOffset(0)]
    private readonly uint _mask;

    [FieldOffset(8)]
    private readonly ulong _attributes;

    [FieldOffset(28)]
    private readonly ushort _mode;

    [FieldOffset(56)]
    private readonly ulong _attributesMask;

    [FieldOffset(136)]
    private readonly uint _deviceMajor;

    [FieldOffset(140)]
    private readonly uint _deviceMinor;

    [FieldOffset(144)]
    private readonly ulong _mountId;

    /// <summary>Whether this is a directory (the type is part of every statx answer).</summary>
    public readonly bool IsDirectory => (_mask & StatxType) != 0 && (_mode & TypeMask) == TypeDirectory;

    /// <summary>Whether this is a symbolic link (only seen when statx did not follow it).</summary>
    public readonly bool IsSymlink => (_mask & StatxType) != 0 && (_mode & TypeMask) == TypeSymlink;

    /// <summary>
    /// Whether <paramref name="child"/>, opened from this directory, lies on another mount: another device, another
    /// mount ID (a bind mount of the same file system: Linux ≥ 5.8), or the kernel's mount-root attribute.
    /// </summary>
    public readonly bool IsOtherMount(in FileStatus child)
        => child._deviceMajor != _deviceMajor
            || child._deviceMinor != _deviceMinor
            || ((child._mask & _mask & StatxMountId) != 0 && child._mountId != _mountId)
            || child.IsMountRoot;

    /// <summary>Whether the kernel marks this as the root of a mount (Linux ≥ 5.8; <see langword="false"/> when it does not say).</summary>
    public readonly bool IsMountRoot => (_attributesMask & AttributeMountRoot) != 0 && (_attributes & AttributeMountRoot) != 0;
}
