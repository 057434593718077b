namespace Mooring.TestFixtures;

/// <summary>skopeo: how a registry's answers look to a client that is not Mooring.</summary>
public static class Skopeo
{
    /// <summary><c>skopeo inspect --raw --tls-verify=false [extra] docker://…</c>: the manifest (or, with --config, the config) bytes as the registry serves them.</summary>
    public static async Task<string> InspectRawAsync(string reference, params string[] extra)
    {
        var result = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", .. extra, "docker://" + reference], timeout: TimeSpan.FromSeconds(60));
        return result.EnsureSuccess().StandardOutput;
    }
}
