namespace Mooring.Oci.Auth;

/// <summary>What a request needs from the token service: pull or push on a repository, plus pull on a mount source.</summary>
internal sealed record RepositoryAccess(string Repository, bool Push, string? MountFrom = null)
{
    public string Key => $"{Repository}|{Push}|{MountFrom}";

    public IEnumerable<string> Scopes(bool pluginClass)
    {
        var actions = Push ? "push,pull" : "pull";
        yield return pluginClass ? $"repository(plugin):{Repository}:{actions}" : $"repository:{Repository}:{actions}";
        if (MountFrom is not null)
        {
            yield return $"repository:{MountFrom}:pull";
        }
    }
}
