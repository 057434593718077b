namespace Mooring.Build;

/// <summary>
/// The one mapping from a .NET runtime identifier to the architecture name registries and Docker use (Go's GOARCH): it
/// names the base image entry to pull, the architecture written into config.json and the per-architecture tag suffix.
/// </summary>
internal static class PluginArchitecture
{
    /// <summary>
    /// The architecture of <paramref name="runtimeIdentifier"/> (its last segment): linux-x64 and linux-musl-x64 → amd64,
    /// linux-arm64 → arm64, linux-arm → arm; null when it is empty or names an architecture Docker has no name for here.
    /// </summary>
    public static string? FromRuntimeIdentifier(string? runtimeIdentifier)
    {
        if (string.IsNullOrWhiteSpace(runtimeIdentifier))
        {
            return null;
        }

        var rid = runtimeIdentifier.Trim();
        return rid[(rid.LastIndexOf('-') + 1)..].ToLowerInvariant() switch
        {
            "x64" => "amd64",
            "arm64" => "arm64",
            "arm" => "arm",
            "x86" => "386",
            "riscv64" => "riscv64",
            "ppc64le" => "ppc64le",
            "s390x" => "s390x",
            "loongarch64" => "loong64",
            _ => null,
        };
    }
}
