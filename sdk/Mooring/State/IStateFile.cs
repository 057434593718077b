namespace Mooring.State;

/// <summary>What every state file holds besides its content, so <see cref="StateFileSet{TFile}"/> can check it.</summary>
internal interface IStateFile
{
    /// <summary>The format version; readers refuse versions newer than they know instead of guessing.</summary>
    int Version { get; set; }

    /// <summary>The volume the file is for; it must equal the file name without <c>.json</c>.</summary>
    string? Name { get; set; }
}
