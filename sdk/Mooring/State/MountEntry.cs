namespace Mooring.State;

/// <summary>One line of <c>/proc/self/mountinfo</c>, with its escapes (<c>\040</c> for a space…) decoded.</summary>
/// <param name="MountId">The mount's unique ID.</param>
/// <param name="ParentId">The ID of the mount this one sits on.</param>
/// <param name="Device">The <c>major:minor</c> device number of the filesystem.</param>
/// <param name="Root">The directory of the filesystem that is mounted (not <c>/</c> for a bind mount of a subdirectory).</param>
/// <param name="MountPoint">Where it is mounted, in this process's mount namespace.</param>
/// <param name="MountOptions">Per-mount options (<c>rw,relatime</c>…).</param>
/// <param name="FileSystemType">The filesystem type (<c>ext4</c>, <c>tmpfs</c>, <c>fuse.sshfs</c>…).</param>
/// <param name="Source">The mount source (a device, a remote, or a free-form name).</param>
/// <param name="SuperOptions">Per-superblock options.</param>
public sealed record MountEntry(
    int MountId,
    int ParentId,
    string Device,
    string Root,
    string MountPoint,
    string MountOptions,
    string FileSystemType,
    string Source,
    string SuperOptions);
