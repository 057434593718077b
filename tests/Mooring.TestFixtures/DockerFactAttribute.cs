namespace Mooring.TestFixtures;

/// <summary>A fact that needs a private dockerd (and, with <see cref="NeedsRegistry"/>, docker-registry); skipped, with the reason, on machines that cannot run one.</summary>
public sealed class DockerFactAttribute : Xunit.FactAttribute
{
    public DockerFactAttribute()
    {
        if (PrivateDockerd.UnavailableReason() is { } reason)
        {
            Skip = "Needs a private dockerd: " + reason + ".";
        }
    }

    /// <summary>Also needs /usr/bin/docker-registry (apt-get install docker-registry).</summary>
    public bool NeedsRegistry
    {
        get => false;
        init
        {
            if (value && Skip is null && !File.Exists(PrivateRegistry.Binary))
            {
                Skip = $"Needs {PrivateRegistry.Binary} (apt-get install docker-registry).";
            }
        }
    }
}
