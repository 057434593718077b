using Mooring.Build.Elf;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// When a plugin is linked with packed relative relocations (DT_RELR) instead of dehydrated data: only when the libc the
/// rootfs will carry can load them. A sysroot holding a libc.so.6 built here with chosen symbol versions stands for
/// glibc before and after 2.36, which introduced GLIBC_ABI_DT_RELR.
/// </summary>
public sealed class PackedRelocationsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Sysroot => _temp.Combine("sysroot");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Packs_when_the_x86_64_libc_defines_GLIBC_ABI_DT_RELR()
    {
        var libc = await LibcAsync("GLIBC_2.2.5", "GLIBC_2.34", PackedRelocations.GlibcRelrVersion);

        var (packed, why) = PackedRelocations.Decide("linux-x64", [], Sysroot);

        Assert.True(packed, why);
        Assert.Contains(libc, why);
    }

    [Fact]
    public async Task Does_not_pack_when_the_libc_is_older_than_glibc_2_36()
    {
        var libc = await LibcAsync("GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.35");

        var (packed, why) = PackedRelocations.Decide("linux-x64", [], Sysroot);

        Assert.False(packed);
        Assert.Contains(libc, why);
        Assert.Contains("older than 2.36", why);
    }

    [Fact]
    public async Task A_library_search_path_is_looked_in_before_the_sysroot_as_for_the_rootfs()
    {
        await LibcAsync("GLIBC_2.2.5", PackedRelocations.GlibcRelrVersion);
        var old = await NativeFixtures.BuildVersionedLibraryAsync(_temp.Combine("old", "libc.so.6"), "libc.so.6", "GLIBC_2.2.5");

        var (packed, why) = PackedRelocations.Decide("linux-x64", [Path.GetDirectoryName(old)!], Sysroot);

        Assert.False(packed);
        Assert.Contains(old, why);
    }

    [Theory]
    [InlineData("linux-arm64")]
    [InlineData("linux-musl-x64")]
    public async Task Does_not_pack_for_a_target_whose_linker_or_loader_is_not_known_to_take_them(string rid)
    {
        await LibcAsync("GLIBC_2.2.5", PackedRelocations.GlibcRelrVersion);

        var (packed, why) = PackedRelocations.Decide(rid, [], Sysroot);

        Assert.False(packed);
        Assert.Contains(rid, why);
    }

    /// <summary>A libc.so.6 defining <paramref name="versions"/>, where an x86-64 loader looks for it in the sysroot.</summary>
    private Task<string> LibcAsync(params string[] versions) =>
        NativeFixtures.BuildVersionedLibraryAsync(Path.Combine(Sysroot, "lib", "x86_64-linux-gnu", "libc.so.6"), "libc.so.6", versions);
}
