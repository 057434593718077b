using System.Diagnostics;

namespace Mooring.Oci.Tests.Infrastructure;

public static class Skopeo
{
    /// <summary><c>skopeo inspect --raw --tls-verify=false docker://…</c>: the manifest bytes as the registry serves them.</summary>
    public static async Task<string> InspectRawAsync(string reference)
    {
        var start = new ProcessStartInfo("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://" + reference])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"skopeo failed: {await stderr}");
        return await stdout;
    }
}
