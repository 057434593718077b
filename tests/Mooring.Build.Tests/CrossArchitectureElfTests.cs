using Mooring.Build.Elf;
using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>
/// An aarch64 program resolved on an x86-64 build machine: the rootfs must get the target's libraries (from the Debian cross
/// layout or a sysroot), placed where the target's loader looks, and never the build machine's own.
/// Needs gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (eng/install-prereqs.sh installs them).
/// </summary>
public sealed class CrossArchitectureElfTests
{
    private const ushort Aarch64 = 183;
    private const string CrossLib = "/usr/aarch64-linux-gnu/lib";

    [Fact]
    public async Task An_aarch64_program_gets_the_aarch64_interpreter_and_libc_from_the_cross_layout()
    {
        using var temp = new TempDirectory();
        var app = await BuildAarch64ProgramAsync(temp.Path);

        var resolution = new ElfDependencyResolver([]).Resolve([new ElfRoot(app, "/app/x")], []);

        Assert.Empty(resolution.Missing);
        Assert.Equal(Path.Combine(CrossLib, "ld-linux-aarch64.so.1"), resolution.Libraries["/lib/ld-linux-aarch64.so.1"]);
        Assert.Equal(Path.Combine(CrossLib, "libc.so.6"), resolution.Libraries["/lib/aarch64-linux-gnu/libc.so.6"]);
        Assert.All(resolution.Libraries.Values, host => Assert.Equal(Aarch64, ElfFile.Read(host).Machine));
    }

    [Fact]
    public async Task A_sysroot_wins_and_a_library_of_the_build_machine_architecture_in_it_is_never_taken()
    {
        using var temp = new TempDirectory();
        var app = await BuildAarch64ProgramAsync(temp.Path);
        var sysroot = temp.Combine("sysroot");
        var multiarch = Directory.CreateDirectory(Path.Combine(sysroot, "lib", "aarch64-linux-gnu")).FullName;
        File.Copy(Path.Combine(CrossLib, "libc.so.6"), Path.Combine(multiarch, "libc.so.6"));
        // The interpreter path of the sysroot holds the build machine's own loader: right name, wrong machine.
        var hostInterpreter = ElfFile.Read(Environment.ProcessPath!).Interpreter!;
        File.Copy(hostInterpreter, Path.Combine(sysroot, "lib", "ld-linux-aarch64.so.1"));

        var resolution = new ElfDependencyResolver([], [sysroot]).Resolve([new ElfRoot(app, "/app/x")], []);

        Assert.Empty(resolution.Missing);
        Assert.Equal(Path.Combine(multiarch, "libc.so.6"), resolution.Libraries["/lib/aarch64-linux-gnu/libc.so.6"]);
        Assert.Equal(Path.Combine(CrossLib, "ld-linux-aarch64.so.1"), resolution.Libraries["/lib/ld-linux-aarch64.so.1"]);
        Assert.All(resolution.Libraries.Values, host => Assert.Equal(Aarch64, ElfFile.Read(host).Machine));
    }

    private static async Task<string> BuildAarch64ProgramAsync(string directory)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "main.c"), "int main(void) { return 0; }\n");
        (await ProcessRunner.RunAsync("aarch64-linux-gnu-gcc", ["-o", "app", "main.c"], directory, timeout: TimeSpan.FromMinutes(1))).EnsureSuccess();
        var app = Path.Combine(directory, "app");
        Assert.Equal(Aarch64, ElfFile.Read(app).Machine);
        return app;
    }
}
