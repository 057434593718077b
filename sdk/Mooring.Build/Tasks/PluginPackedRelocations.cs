using Microsoft.Build.Framework;
using Mooring.Build.Elf;

namespace Mooring.Build.Tasks;

/// <summary>
/// Decides, before NativeAOT compiles and links the plugin, whether its relative relocations are packed (DT_RELR) and
/// its data stored undehydrated: <see cref="PackedRelocations"/> holds the rule, the build log gets the reason.
/// </summary>
public sealed class PluginPackedRelocations : MooringTask
{
    /// <summary>The plugin's runtime identifier (linux-x64, linux-arm64, linux-musl-x64…).</summary>
    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    /// <summary>Directories searched for libraries before the defaults (PluginLibrarySearchPath, as for the rootfs).</summary>
    public string[] LibrarySearchPaths { get; set; } = [];

    /// <summary>A directory laid out like the target's root (PluginSysroot, as for the rootfs).</summary>
    public string? Sysroot { get; set; }

    /// <summary>True when the plugin is to be linked with packed relative relocations and without dehydrated data.</summary>
    [Output]
    public bool Packed { get; private set; }

    private protected override void Run()
    {
        var (packed, why) = PackedRelocations.Decide(RuntimeIdentifier, LibrarySearchPaths, Sysroot);
        Packed = packed;
        Log.LogMessage(MessageImportance.Low, $"Packed relative relocations (DT_RELR): {(packed ? "yes" : "no")}, {why}");
    }
}
