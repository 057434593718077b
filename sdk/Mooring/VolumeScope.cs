namespace Mooring;

/// <summary>Whether a volume is visible on one host or cluster-wide.</summary>
public enum VolumeScope
{
    /// <summary>The volume exists on this host only.</summary>
    Local,

    /// <summary>The volume is visible from every host of a cluster.</summary>
    Global,
}
