namespace Mooring.Build.Elf;

/// <summary>
/// Finds, on the build machine, every shared library an ELF program needs (recursively) the way the dynamic loader
/// would inside a rootfs without <c>/etc/ld.so.cache</c>: DT_RPATH (when there is no DT_RUNPATH), DT_RUNPATH, then the
/// default directories. Libraries keep the path the loader asks for; symbolic links are read through, never copied.
/// </summary>
internal sealed class ElfDependencyResolver
{
    private readonly IReadOnlyList<string> _extraSearchDirectories;

    /// <summary>Creates a resolver that searches <paramref name="extraSearchDirectories"/> before the default directories.</summary>
    public ElfDependencyResolver(IEnumerable<string> extraSearchDirectories) => _extraSearchDirectories = extraSearchDirectories.ToList();

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
                // The interpreter is loaded by the kernel from this exact path; it must exist as a file there.
                if (!File.Exists(interpreter))
                {
                    resolution.Missing.Add(new MissingLibrary(interpreter, root.RootfsPath));
                }
                else
                {
                    var interpreterElf = ElfFile.Read(interpreter);
                    resolution.Libraries[interpreter] = interpreter;
                    satisfied.Add(Path.GetFileName(interpreter));
                    if (interpreterElf.Soname is { } soname)
                    {
                        satisfied.Add(soname);
                    }

                    queue.Enqueue((interpreterElf, interpreter, interpreter));
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

            foreach (var (hostDirectory, rootfsDirectory) in SearchDirectories(requester, requesterHostPath, requesterRootfsPath, target!.Value.Machine))
            {
                var candidate = Path.Combine(hostDirectory, name);
                if (!File.Exists(candidate) || !IsCompatible(candidate, target.Value))
                {
                    continue;
                }

                var destination = Path.Combine(rootfsDirectory, name);
                var library = ElfFile.Read(candidate);
                resolution.Libraries[destination] = candidate;
                satisfied.Add(name);
                if (library.Soname is { } soname)
                {
                    satisfied.Add(soname);
                }

                queue.Enqueue((library, candidate, destination));
                return;
            }

            satisfied.Add(name);
            resolution.Missing.Add(new MissingLibrary(name, requestedBy));
        }
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
            yield return (directory, directory);
        }
    }

    /// <summary>The directories the loader searches by default (Debian/Ubuntu multiarch first, then the classic ones).</summary>
    public static IEnumerable<string> DefaultDirectories(ushort machine)
    {
        var triplet = machine switch
        {
            62 => "x86_64-linux-gnu",
            183 => "aarch64-linux-gnu",
            40 => "arm-linux-gnueabihf",
            _ => null,
        };
        if (triplet is not null)
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
