namespace Mooring.Build.Elf;

/// <summary>
/// Whether a plugin can be linked with packed relative relocations (<c>ld -z pack-relative-relocs</c>, DT_RELR) instead
/// of NativeAOT's dehydrated data (sdk/Mooring.Sdk/Sdk/Mooring.Sdk.Relocations.targets says what that buys).
/// <para>
/// A DT_RELR binary loads only with glibc 2.36 or later, whose libc.so.6 defines the version GLIBC_ABI_DT_RELR that the
/// linker makes the binary need (an older loader refuses it by that name instead of running it unrelocated). So it is
/// packed only when the libc.so.6 the rootfs will carry, found exactly as the rootfs task finds it, defines that version;
/// and only for x86-64 glibc targets: the GNU ld here (2.40) refuses the option for AArch64.
/// </para>
/// </summary>
internal static class PackedRelocations
{
    /// <summary>The version glibc 2.36 and later define for programs that carry DT_RELR.</summary>
    public const string GlibcRelrVersion = "GLIBC_ABI_DT_RELR";

    private const ushort MachineX8664 = 62;

    /// <summary>
    /// Whether a plugin for <paramref name="runtimeIdentifier"/>, whose libraries are looked for in
    /// <paramref name="librarySearchPaths"/> and <paramref name="sysroot"/> (PluginLibrarySearchPath, PluginSysroot), is
    /// packed, and why, for the build log.
    /// </summary>
    public static (bool Packed, string Why) Decide(string runtimeIdentifier, IEnumerable<string> librarySearchPaths, string? sysroot)
    {
        var rid = runtimeIdentifier.Trim();
        if (rid.Contains("musl", StringComparison.OrdinalIgnoreCase) || PluginArchitecture.FromRuntimeIdentifier(rid) != "amd64")
        {
            return (false, $"the runtime identifier '{rid}' is not an x86-64 glibc one.");
        }

        if (ElfDependencyResolver.ForPlugin(librarySearchPaths, sysroot).Locate("libc.so.6", is64Bit: true, MachineX8664) is not { } libc)
        {
            return (false, "no x86-64 libc.so.6 was found to link against.");
        }

        try
        {
            return ElfFile.Read(libc).VersionDefinitions.Contains(GlibcRelrVersion)
                ? (true, $"{libc} defines {GlibcRelrVersion}.")
                : (false, $"{libc} does not define {GlibcRelrVersion} (glibc older than 2.36).");
        }
        catch (InvalidDataException e)
        {
            return (false, e.Message);
        }
    }
}
