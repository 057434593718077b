namespace Mooring.State;

/// <summary>
/// A state file that exists but could not be loaded (torn, not JSON, written by a newer plugin version, or holding
/// another volume's state); the SDK never deletes, moves or overwrites it. Every change to the volume is refused until
/// an operator deals with the file, so that a rollback of the plugin cannot destroy what a newer version recorded.
/// </summary>
/// <param name="Name">The volume name, taken from the file name (<c>&lt;name&gt;.json</c>).</param>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why it could not be loaded, phrased to follow the file's path, e.g. <c>was written by a newer
/// plugin version (format 2, this plugin reads 1)</c> or <c>is not valid JSON (…)</c>.</param>
public sealed record UnreadableState(string Name, string Path, string Reason)
{
    /// <summary>What the operator can do; part of every refusal and of the log line written at load.</summary>
    internal const string WhatToDo = "upgrade the plugin again, or move the file away if you know it is garbage";

    /// <summary>The error for any change to the volume: it names the volume, the file, the reason and the remedy.</summary>
    internal VolumeDriverException Refusal()
        => new($"volume '{Name}' is unavailable: its state file '{Path}' {Reason}; {WhatToDo}");
}
