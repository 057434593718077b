using Mooring.TestFixtures;

namespace Mooring.Push.Tests;

/// <summary>A fact that needs a private dockerd; skipped, with the reason, on machines that cannot run one.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (PrivateDockerd.UnavailableReason() is { } reason)
        {
            Skip = "Needs a private dockerd: " + reason + ".";
        }
    }
}
