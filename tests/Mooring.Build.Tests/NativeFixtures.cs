using Mooring.TestFixtures;

namespace Mooring.Build.Tests;

/// <summary>Small ELF programs built with the C compiler the NativeAOT toolchain needs anyway.</summary>
internal static class NativeFixtures
{
    /// <summary>
    /// Builds liba.so (no deps), libb.so (needs liba.so, found through DT_RUNPATH $ORIGIN) and an executable that
    /// needs only libb.so (found through DT_RUNPATH $ORIGIN/lib) — a chain the resolver must follow recursively.
    /// </summary>
    public static async Task<string> BuildChainAsync(string directory)
    {
        var lib = Path.Combine(directory, "lib");
        Directory.CreateDirectory(lib);
        await File.WriteAllTextAsync(Path.Combine(directory, "a.c"), "int a(void) { return 1; }\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "b.c"), "int a(void); int b(void) { return a() + 1; }\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "main.c"), "int b(void); int main(void) { return b() == 2 ? 0 : 1; }\n");
        await Gcc(directory, "-shared", "-fPIC", "-o", "lib/liba.so", "a.c");
        await Gcc(directory, "-shared", "-fPIC", "-o", "lib/libb.so", "b.c", "-Llib", "-la", "-Wl,--enable-new-dtags,-rpath,$ORIGIN");
        await Gcc(directory, "-o", "app", "main.c", "-Llib", "-lb", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib", "-Wl,-rpath-link,lib");
        return Path.Combine(directory, "app");
    }

    /// <summary>
    /// Builds a shared library at <paramref name="path"/> with soname <paramref name="soname"/> that defines the symbol
    /// versions <paramref name="versions"/> (DT_VERDEF), each inheriting the one before, as glibc's libc.so.6 does.
    /// </summary>
    public static async Task<string> BuildVersionedLibraryAsync(string path, string soname, params string[] versions)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var name = Path.GetFileName(path);
        var source = string.Concat(versions.Select((_, i) => $"int f{i}(void) {{ return {i}; }}\n"));
        var script = string.Concat(versions.Select((v, i) => $"{v} {{ global: f{i}; {(i == 0 ? "local: *; " : "")}}}{(i == 0 ? "" : " " + versions[i - 1])};\n"));
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".c"), source);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".map"), script);
        await Gcc(directory, "-shared", "-fPIC", "-o", name, name + ".c", "-Wl,-soname," + soname, "-Wl,--version-script=" + name + ".map");
        return path;
    }

    private static async Task Gcc(string directory, params string[] arguments) =>
        (await ProcessRunner.RunAsync("gcc", arguments, directory, timeout: TimeSpan.FromMinutes(1))).EnsureSuccess();

    /// <summary>A copy of <paramref name="source"/> with one DT_NEEDED string replaced by another of the same length.</summary>
    public static string PatchNeeded(string source, string destination, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var bytes = File.ReadAllBytes(source);
        var pattern = System.Text.Encoding.ASCII.GetBytes(from + "\0");
        var index = bytes.AsSpan().IndexOf(pattern);
        Assert.True(index >= 0, $"'{from}' not found in {source}");
        System.Text.Encoding.ASCII.GetBytes(to).CopyTo(bytes, index);
        File.WriteAllBytes(destination, bytes);
        File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        return destination;
    }
}
