using Mooring.Build.Elf;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

public sealed class ElfTests
{
    private static string HostExecutable => Environment.ProcessPath!;

    [Fact]
    public void Reads_interpreter_and_needed_libraries_of_a_real_executable()
    {
        var elf = ElfFile.Read(HostExecutable);

        Assert.True(elf.Is64Bit);
        Assert.NotNull(elf.Interpreter);
        Assert.StartsWith("/", elf.Interpreter);
        Assert.Contains("libc.so.6", elf.Needed);
    }

    [Fact]
    public void Reads_soname_of_a_shared_library()
    {
        var resolution = new ElfDependencyResolver([]).Resolve([new ElfRoot(HostExecutable, "/app/x")], []);
        var libc = resolution.Libraries.Single(l => l.Key.EndsWith("/libc.so.6", StringComparison.Ordinal));

        Assert.Equal("libc.so.6", ElfFile.Read(libc.Value).Soname);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("text");
        File.WriteAllText(path, new string('x', 200));

        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Read(path));
        Assert.Contains("not an ELF file", error.Message);
        Assert.False(ElfFile.HasElfMagic(path));
    }

    [Fact]
    public void Rejects_a_truncated_elf_file_with_a_clear_error()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("truncated");
        File.WriteAllBytes(path, File.ReadAllBytes(HostExecutable)[..100]);

        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Read(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Resolves_the_interpreter_at_its_own_path_and_libc_in_a_default_directory()
    {
        var elf = ElfFile.Read(HostExecutable);
        var resolution = new ElfDependencyResolver([]).Resolve([new ElfRoot(HostExecutable, "/app/x")], []);

        Assert.Empty(resolution.Missing);
        Assert.Contains(elf.Interpreter!, resolution.Libraries.Keys);
        var libc = resolution.Libraries.Keys.Single(k => k.EndsWith("/libc.so.6", StringComparison.Ordinal));
        Assert.Contains(Path.GetDirectoryName(libc)!, ElfDependencyResolver.DefaultDirectories(elf.Machine));

        // The interpreter satisfies libc's own DT_NEEDED on it: no second copy under another directory.
        Assert.Single(resolution.Libraries.Keys, k => k.EndsWith("/" + Path.GetFileName(elf.Interpreter!), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Follows_runpath_origin_recursively_and_maps_it_into_the_rootfs()
    {
        using var temp = new TempDirectory();
        var app = await NativeFixtures.BuildChainAsync(temp.Path);

        var resolution = new ElfDependencyResolver([]).Resolve([new ElfRoot(app, "/opt/tool/app")], []);

        Assert.Empty(resolution.Missing);
        Assert.Equal(temp.Combine("lib", "libb.so"), resolution.Libraries["/opt/tool/lib/libb.so"]);
        Assert.Equal(temp.Combine("lib", "liba.so"), resolution.Libraries["/opt/tool/lib/liba.so"]);
        Assert.Contains(resolution.Libraries.Keys, k => k.EndsWith("/libc.so.6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_a_missing_library_with_the_object_that_needs_it()
    {
        using var temp = new TempDirectory();
        var app = await NativeFixtures.BuildChainAsync(temp.Path);
        File.Delete(temp.Combine("lib", "liba.so"));

        var resolution = new ElfDependencyResolver([]).Resolve([new ElfRoot(app, "/opt/tool/app")], []);

        var missing = Assert.Single(resolution.Missing);
        Assert.Equal("liba.so", missing.Name);
        Assert.Equal("/opt/tool/lib/libb.so", missing.RequestedBy);
    }

    [Fact]
    public void Extra_search_directories_and_extra_libraries_are_honoured()
    {
        using var temp = new TempDirectory();
        var libc = new ElfDependencyResolver([]).Resolve([new ElfRoot(HostExecutable, "/x")], [])
            .Libraries.Single(l => l.Key.EndsWith("/libc.so.6", StringComparison.Ordinal)).Value;
        Directory.CreateDirectory(temp.Combine("extra"));
        File.Copy(libc, temp.Combine("extra", "libmooringtest.so.1"));

        var resolution = new ElfDependencyResolver([temp.Combine("extra")]).Resolve([new ElfRoot(HostExecutable, "/x")], ["libmooringtest.so.1"]);

        Assert.Equal(temp.Combine("extra", "libmooringtest.so.1"), resolution.Libraries[temp.Combine("extra", "libmooringtest.so.1")]);
    }

    [Fact]
    public async Task Reads_the_versions_a_library_defines_without_the_entry_naming_the_library()
    {
        using var temp = new TempDirectory();
        var library = await NativeFixtures.BuildVersionedLibraryAsync(temp.Combine("libv.so.1"), "libv.so.1", "V_ONE", "V_TWO", "V_THREE");

        Assert.Equal(["V_ONE", "V_TWO", "V_THREE"], ElfFile.Read(library).VersionDefinitions);
    }

    [Fact]
    public async Task A_library_without_versions_defines_none()
    {
        using var temp = new TempDirectory();
        await NativeFixtures.BuildChainAsync(temp.Path);

        Assert.Empty(ElfFile.Read(temp.Combine("lib", "liba.so")).VersionDefinitions);
    }

    [Fact]
    public async Task Version_definitions_that_point_past_the_end_of_the_file_are_a_clear_error()
    {
        using var temp = new TempDirectory();
        var library = await NativeFixtures.BuildVersionedLibraryAsync(temp.Combine("libv.so.1"), "libv.so.1", "V_ONE", "V_TWO");
        var bytes = File.ReadAllBytes(library);
        var verdef = VerdefOffset(bytes);
        // The first entry's vd_next (offset 16) sends the walk far past the end of the file.
        BitConverter.GetBytes(0x7fff_0000u).CopyTo(bytes, verdef + 16);
        var corrupt = temp.Combine("corrupt.so");
        File.WriteAllBytes(corrupt, bytes);

        var error = Assert.Throws<InvalidDataException>(() => ElfFile.Read(corrupt));
        Assert.Contains("truncated or corrupt", error.Message);
    }

    [Fact]
    public void Locate_finds_the_library_the_rootfs_would_get()
    {
        var resolved = new ElfDependencyResolver([]).Resolve([new ElfRoot(HostExecutable, "/x")], [])
            .Libraries.Single(l => l.Key.EndsWith("/libc.so.6", StringComparison.Ordinal)).Value;
        var elf = ElfFile.Read(HostExecutable);

        Assert.Equal(resolved, new ElfDependencyResolver([]).Locate("libc.so.6", elf.Is64Bit, elf.Machine));
        Assert.Null(new ElfDependencyResolver([]).Locate("libmooring-no-such-library.so.1", elf.Is64Bit, elf.Machine));
    }

    /// <summary>The file offset of .gnu.version_d, from the section headers (ELF64 little-endian).</summary>
    private static int VerdefOffset(byte[] elf)
    {
        var shoff = (int)BitConverter.ToUInt64(elf, 40);
        var shentsize = BitConverter.ToUInt16(elf, 58);
        var shnum = BitConverter.ToUInt16(elf, 60);
        for (var i = 0; i < shnum; i++)
        {
            var header = shoff + (i * shentsize);
            const uint ShtGnuVerdef = 0x6ffffffd;
            if (BitConverter.ToUInt32(elf, header + 4) == ShtGnuVerdef)
            {
                return (int)BitConverter.ToUInt64(elf, header + 24);
            }
        }

        throw new InvalidOperationException("no .gnu.version_d section");
    }
}
