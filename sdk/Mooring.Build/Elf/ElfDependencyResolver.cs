namespace Mooring.Build.Elf;

/// <summary>
/// Finds, on the build machine, every shared library an ELF program needs (recursively) the way the dynamic loader
/// would inside a rootfs without <c>/etc/ld.so.cache</c>: DT_RPATH (when there is no DT_RUNPATH), DT_RUNPATH, then the
/// default directories. Libraries keep the path the loader asks for; symbolic links are read through, never copied.
/// A library or interpreter is taken only when its ELF class and machine match the plugin binary, so a cross build
/// (an aarch64 plugin on an x86-64 machine) never picks up the build machine's own libraries: it finds the target's in
/// a sysroot (NativeAOT's SysRoot) or in the Debian/Ubuntu cross layout (/usr/aarch64-linux-gnu/lib, from
/// libc6-arm64-cross), and places them where the target's loader looks (/lib/aarch64-linux-gnu, /lib/ld-linux-aarch64.so.1).
/// </summary>
internal sealed class ElfDependencyResolver
{
    private readonly IReadOnlyList<string> _extraSearchDirectories;
    private readonly IReadOnlyList<string> _sysroots;

    /// <summary>
    /// Creates a resolver that searches <paramref name="extraSearchDirectories"/> before the default directories, and
    /// looks for the default directories under each of <paramref name="sysroots"/> (directories laid out like the target's
    /// root) before the build machine's own.
    /// </summary>
    public ElfDependencyResolver(IEnumerable<string> extraSearchDirectories, IEnumerable<string>? sysroots = null)
    {
        _extraSearchDirectories = extraSearchDirectories.ToList();
        _sysroots = (sysroots ?? []).Where(s => s.Length > 0).Select(s => Path.GetFullPath(s).TrimEnd('/')).Where(s => s.Length > 0).ToList();
    }

    /// <summary>
    /// The resolver for a plugin's MSBuild settings (PluginLibrarySearchPath, PluginSysroot), empty entries ignored: the one
    /// the rootfs is assembled with, and the one that finds the libc the plugin is linked against beforehand.
    /// </summary>
    public static ElfDependencyResolver ForPlugin(IEnumerable<string> librarySearchPaths, string? sysroot) =>
        new(librarySearchPaths.Where(p => p.Length > 0), string.IsNullOrWhiteSpace(sysroot) ? [] : [sysroot.Trim()]);

    /// <summary>
    /// Resolves the libraries of <paramref name="roots"/> (files already placed in the rootfs) and of
    /// <paramref name="extraLibraries"/> (sonames asked for explicitly, e.g. for libraries opened with dlopen).
    /// </summary>
    public ElfResolution Resolve(IEnumerable<ElfRoot> roots, IEnumerable<string> extraLibraries)
    {
        var resolution = new ElfResolution();
        var satisfied = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(ElfFile Elf, string HostPath, string RootfsPath)>();
        var rootList = roots.ToList();
        (bool Is64Bit, ushort Machine)? target = null;

        foreach (var root in rootList)
        {
            var elf = ElfFile.Read(root.HostPath);
            target ??= (elf.Is64Bit, elf.Machine);
            if (elf.Interpreter is { } interpreter && !resolution.Libraries.ContainsKey(interpreter))
            {
                // The kernel loads the interpreter from this exact rootfs path; on the build machine it may live elsewhere
                // (a sysroot, the cross layout), and a file at the same path may be the build machine's own architecture.
                var hostInterpreter = InterpreterCandidates(interpreter, elf.Machine).FirstOrDefault(c => File.Exists(c) && IsCompatible(c, (elf.Is64Bit, elf.Machine)));
                if (hostInterpreter is null)
                {
                    resolution.Missing.Add(new MissingLibrary(interpreter, root.RootfsPath));
                }
                else
                {
                    var interpreterElf = ElfFile.Read(hostInterpreter);
                    resolution.Libraries[interpreter] = hostInterpreter;
                    satisfied.Add(Path.GetFileName(interpreter));
                    if (interpreterElf.Soname is { } soname)
                    {
                        satisfied.Add(soname);
                    }

                    queue.Enqueue((interpreterElf, hostInterpreter, interpreter));
                }
            }

            queue.Enqueue((elf, root.HostPath, root.RootfsPath));
        }

        var first = rootList.Count > 0 ? rootList[0].RootfsPath : "(plugin)";
        foreach (var name in extraLibraries)
        {
            if (target is null)
            {
                break;
            }

            Find(name, requester: null, requesterHostPath: null, requesterRootfsPath: null, first);
        }

        while (queue.Count > 0)
        {
            var (elf, hostPath, rootfsPath) = queue.Dequeue();
            foreach (var name in elf.Needed)
            {
                Find(name, elf, hostPath, rootfsPath, rootfsPath);
            }
        }

        return resolution;

        void Find(string name, ElfFile? requester, string? requesterHostPath, string? requesterRootfsPath, string requestedBy)
        {
            if (satisfied.Contains(name))
            {
                return;
            }

            satisfied.Add(name);
            if (FindFile(name, requester, requesterHostPath, requesterRootfsPath, target!.Value) is not { } found)
            {
                resolution.Missing.Add(new MissingLibrary(name, requestedBy));
                return;
            }

            var (candidate, destination) = found;
            var library = ElfFile.Read(candidate);
            resolution.Libraries[destination] = candidate;
            if (library.Soname is { } soname)
            {
                satisfied.Add(soname);
            }

            queue.Enqueue((library, candidate, destination));
        }
    }

    /// <summary>
    /// The build machine's file that <see cref="Resolve"/> would place in the rootfs for <paramref name="name"/> (a
    /// soname such as libc.so.6) when a program of class <paramref name="is64Bit"/> and machine
    /// <paramref name="machine"/> asks for it without search paths of its own; null when no search directory holds one.
    /// For what is decided before the program exists: the libc it will be linked against and run with.
    /// </summary>
    public string? Locate(string name, bool is64Bit, ushort machine) =>
        FindFile(name, requester: null, hostPath: null, rootfsPath: null, (is64Bit, machine))?.Host;

    // The first file for name in the search directories of requester (the defaults without one) that is of the target's
    // class and machine: where it is on the build machine, and where it goes in the rootfs.
    private (string Host, string Rootfs)? FindFile(string name, ElfFile? requester, string? hostPath, string? rootfsPath, (bool Is64Bit, ushort Machine) target)
    {
        foreach (var (hostDirectory, rootfsDirectory) in SearchDirectories(requester, hostPath, rootfsPath, target.Machine))
        {
            var candidate = Path.Combine(hostDirectory, name);
            if (File.Exists(candidate) && IsCompatible(candidate, target))
            {
                return (candidate, Path.Combine(rootfsDirectory, name));
            }
        }

        return null;
    }

    private IEnumerable<(string Host, string Rootfs)> SearchDirectories(ElfFile? requester, string? hostPath, string? rootfsPath, ushort machine)
    {
        foreach (var directory in _extraSearchDirectories)
        {
            yield return (directory, directory);
        }

        if (requester is not null)
        {
            // The loader consults DT_RPATH only when the object has no DT_RUNPATH.
            var paths = requester.RunPath.Count > 0 ? requester.RunPath : requester.RPath;
            foreach (var entry in paths)
            {
                if (entry.Contains("$ORIGIN", StringComparison.Ordinal) || entry.Contains("${ORIGIN}", StringComparison.Ordinal))
                {
                    var hostOrigin = Path.GetDirectoryName(hostPath!)!;
                    var rootfsOrigin = Path.GetDirectoryName(rootfsPath!)!;
                    yield return (Normalize(ExpandOrigin(entry, hostOrigin)), Normalize(ExpandOrigin(entry, rootfsOrigin)));
                }
                else if (Path.IsPathRooted(entry))
                {
                    yield return (entry, entry);
                }
            }
        }

        foreach (var directory in DefaultDirectories(machine))
        {
            foreach (var host in HostDirectories(directory, machine))
            {
                yield return (host, directory);
            }
        }
    }

    /// <summary>
    /// Where the build machine may hold what the target keeps in <paramref name="rootfsDirectory"/>: under each sysroot, at
    /// the same path, and for the target's multiarch directory the Debian cross layout (/usr/&lt;triplet&gt;/lib).
    /// </summary>
    private IEnumerable<string> HostDirectories(string rootfsDirectory, ushort machine)
    {
        foreach (var sysroot in _sysroots)
        {
            yield return sysroot + rootfsDirectory;
        }

        yield return rootfsDirectory;
        if (Triplet(machine) is { } triplet && rootfsDirectory == "/lib/" + triplet)
        {
            yield return "/usr/" + triplet + "/lib";
        }
    }

    /// <summary>Where the build machine may hold the interpreter the target loads from <paramref name="interpreter"/>.</summary>
    private IEnumerable<string> InterpreterCandidates(string interpreter, ushort machine)
    {
        foreach (var sysroot in _sysroots)
        {
            yield return sysroot + interpreter;
        }

        yield return interpreter;
        if (Triplet(machine) is { } triplet)
        {
            // libc6-<arch>-cross keeps ld-linux-<arch>.so.1 beside libc.so.6 in /usr/<triplet>/lib.
            yield return "/usr/" + triplet + "/lib/" + Path.GetFileName(interpreter);
        }
    }

    /// <summary>The Debian/Ubuntu multiarch triplet of an ELF machine, or null for one Mooring does not know.</summary>
    private static string? Triplet(ushort machine) => machine switch
    {
        62 => "x86_64-linux-gnu",
        183 => "aarch64-linux-gnu",
        40 => "arm-linux-gnueabihf",
        _ => null,
    };

    /// <summary>The directories the loader searches by default (Debian/Ubuntu multiarch first, then the classic ones).</summary>
    public static IEnumerable<string> DefaultDirectories(ushort machine)
    {
        if (Triplet(machine) is { } triplet)
        {
            yield return "/lib/" + triplet;
            yield return "/usr/lib/" + triplet;
        }

        yield return "/lib64";
        yield return "/usr/lib64";
        yield return "/lib";
        yield return "/usr/lib";
    }

    private static string ExpandOrigin(string entry, string origin) =>
        entry.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal);

    private static string Normalize(string path) => Path.GetFullPath(path);

    private static bool IsCompatible(string path, (bool Is64Bit, ushort Machine) target)
    {
        try
        {
            if (!ElfFile.HasElfMagic(path))
            {
                return false;
            }

            var elf = ElfFile.Read(path);
            return elf.Is64Bit == target.Is64Bit && elf.Machine == target.Machine;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}

/// <summary>An ELF file placed in the rootfs whose dependencies must be resolved.</summary>
/// <param name="HostPath">Where it is on the build machine.</param>
/// <param name="RootfsPath">Its absolute path inside the rootfs.</param>
internal sealed record ElfRoot(string HostPath, string RootfsPath);

/// <summary>A library no search directory held.</summary>
/// <param name="Name">The DT_NEEDED name (or the interpreter path).</param>
/// <param name="RequestedBy">The rootfs path of the object that needs it.</param>
internal sealed record MissingLibrary(string Name, string RequestedBy);

/// <summary>The outcome of <see cref="ElfDependencyResolver.Resolve"/>.</summary>
internal sealed class ElfResolution
{
    /// <summary>Rootfs path → host path (the host path may be a symbolic link; copy its target's content).</summary>
    public SortedDictionary<string, string> Libraries { get; } = new(StringComparer.Ordinal);

    /// <summary>Libraries that were not found.</summary>
    public List<MissingLibrary> Missing { get; } = [];
}
