using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>A fact that needs root (mount(2), chown): CI runs as root; elsewhere it is skipped with the reason.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Posix.IsRoot)
        {
            Skip = "needs root (mount(2) for TmpfsVolume)";
        }
    }
}

/// <summary>A theory that needs root; skipped with the reason elsewhere.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Posix.IsRoot)
        {
            Skip = "needs root (mount(2) for TmpfsVolume)";
        }
    }
}
