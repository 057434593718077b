namespace Mooring.State;

/// <summary>
/// Where a volume is in its life cycle. A record is written before slow or fallible work starts and updated when it
/// ends, so that after a crash the next start knows which half-done Create or Remove to finish or undo.
/// </summary>
public enum VolumeRecordPhase
{
    /// <summary>The volume exists and is usable (the default, and what records written before phases existed mean).</summary>
    Ready,

    /// <summary>Create started but was not acknowledged: the volume's data may be incomplete.</summary>
    Creating,

    /// <summary>Remove started: the volume's data may be partly deleted.</summary>
    Removing,
}
