using Mooring.TestFixtures;

namespace Mooring.Push.Tests.Infrastructure;

public static class Skopeo
{
    /// <summary><c>skopeo inspect --raw --tls-verify=false docker://…</c>: the manifest bytes as the registry serves them.</summary>
    public static async Task<string> InspectRawAsync(string reference, params string[] extra)
    {
        var result = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", .. extra, "docker://" + reference], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Succeeded, result.Output);
        return result.StandardOutput;
    }
}
