namespace Mooring.State;

/// <summary>Where a volume is in its life, as recorded before each step that a crash could interrupt.</summary>
public enum VolumeRecordPhase
{
    /// <summary>Created and acknowledged: the volume exists.</summary>
    Ready,

    /// <summary>A Create that has not been acknowledged yet; a crash leaves it for clean-up at the next start.</summary>
    Creating,

    /// <summary>A Remove that has begun deleting data; the volume is still listed and Remove can be retried.</summary>
    Removing,
}
