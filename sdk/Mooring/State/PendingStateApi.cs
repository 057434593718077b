// TEMPORARY shim until the state-files branch lands; deleted on merge.
#pragma warning disable CS1591
using System.Diagnostics.CodeAnalysis;

namespace Mooring.State;

public sealed record UnreadableState(string Name, string Path, string Reason);


internal static class FileSystemErrors
{
    public static VolumeDriverException Describe(string volume, string doing, Exception ex) => new($"volume '{volume}': cannot {doing}: {ex.Message}", ex);
}

public static class PendingStateApi
{
    extension(VolumeStateStore store)
    {
        public bool TryGetUnreadable(string name, [NotNullWhen(true)] out UnreadableState? state) { state = null; return false; }
    }

    extension(MountLedger ledger)
    {
        public bool TryGetUnreadable(string name, [NotNullWhen(true)] out UnreadableState? state) { state = null; return false; }
    }
}
