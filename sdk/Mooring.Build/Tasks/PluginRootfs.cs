using Microsoft.Build.Framework;
using Mooring.Build.Elf;
using Mooring.Build.Rootfs;
using Mooring.Oci;
using Mooring.Rules;

namespace Mooring.Build.Tasks;

/// <summary>
/// Assembles the plugin rootfs: the published app (the NativeAOT binary), every ELF library it needs (resolved on
/// the build machine, recursively, including the interpreter), the directories a plugin expects, and extra files.
/// Unchanged files are not rewritten; files that are no longer wanted are removed.
/// </summary>
public sealed class PluginRootfs : MooringTask
{
    /// <summary>The rootfs directory (the <c>rootfs/</c> beside config.json).</summary>
    [Required]
    public string RootfsDirectory { get; set; } = "";

    /// <summary>Where the published app goes inside the rootfs, e.g. /app.</summary>
    [Required]
    public string AppDirectory { get; set; } = "";

    /// <summary>Published files (ResolvedFileToPublish); metadata RelativePath places them under <see cref="AppDirectory"/>.</summary>
    public ITaskItem[] AppFiles { get; set; } = [];

    /// <summary>The rootfs path of the plugin binary (the entrypoint); it must be a native ELF executable.</summary>
    [Required]
    public string Executable { get; set; } = "";

    /// <summary>PluginRootfsFile items: Include = a file on the build machine; metadata Destination = its absolute rootfs path.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Empty directories to create (absolute rootfs paths), besides the ones every plugin has.</summary>
    public string[] Directories { get; set; } = [];

    /// <summary>
    /// The directories every plugin's rootfs has: the socket directory, which dockerd bind-mounts over with the plugin's
    /// host folder and which must exist (docs/protocol.md, 1.4); /tmp (mode 1777, for .NET and the plugin's own
    /// temporary files); /etc, where libc looks for hosts and resolv.conf.
    /// </summary>
    private static readonly string[] PluginDirectories = [SocketNames.Directory, "/tmp", "/etc"];

    /// <summary>Extra library names (sonames) to resolve and copy, e.g. for libraries opened with dlopen.</summary>
    public string[] Libraries { get; set; } = [];

    /// <summary>Directories searched for libraries before the defaults.</summary>
    public string[] LibrarySearchPaths { get; set; } = [];

    /// <summary>
    /// A directory laid out like the target's root (PluginSysroot, NativeAOT's SysRoot by default), searched for libraries
    /// before the build machine's own directories; for a cross build whose libraries are not in the Debian cross layout.
    /// </summary>
    public string? Sysroot { get; set; }

    /// <summary>How many rootfs entries were created, replaced or removed.</summary>
    [Output]
    public int Changes { get; private set; }

    private protected override void Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new OciException(ErrorCodes.NotLinuxHost,
                "The plugin rootfs takes its libraries from the build machine, so it can only be assembled on Linux. Build inside WSL 2 on Windows, in the template's dev container (.devcontainer/devcontainer.json), or on a Linux machine or VM.");
        }

        var plan = new RootfsPlan();
        var appDirectory = RootfsPlan.Normalize(AppDirectory);
        foreach (var item in AppFiles)
        {
            var relative = item.GetMetadata("RelativePath");
            if (string.IsNullOrEmpty(relative))
            {
                relative = Path.GetFileName(item.ItemSpec);
            }

            plan.AddFile(appDirectory + "/" + relative.Replace('\\', '/'), item.GetMetadata("FullPath"));
        }

        var explicitFiles = new List<(string RootfsPath, string HostPath)>();
        foreach (var item in Files)
        {
            var destination = item.GetMetadata("Destination");
            if (string.IsNullOrEmpty(destination))
            {
                throw new OciException(ErrorCodes.BadRootfsItem,
                    $"PluginRootfsFile '{item.ItemSpec}' has no Destination. Add Destination=\"/usr/bin/{Path.GetFileName(item.ItemSpec)}\" (an absolute path inside the rootfs).");
            }

            var source = item.GetMetadata("FullPath");
            if (!File.Exists(source))
            {
                throw new OciException(ErrorCodes.BadRootfsItem, $"PluginRootfsFile '{item.ItemSpec}' does not exist (looked for '{source}').");
            }

            explicitFiles.Add((RootfsPlan.Normalize(destination), source));
        }

        var executable = RootfsPlan.Normalize(Executable);
        if (!plan.Files.TryGetValue(executable, out var executableSource) || !ElfFile.HasElfMagic(executableSource))
        {
            throw new OciException(ErrorCodes.BadBinary,
                $"The plugin binary '{executable}' is not a native ELF executable among the published files. Publish with PublishAot=true and a linux RuntimeIdentifier (dotnet publish -t:PluginDirectory), or set PluginEntrypoint.");
        }

        var roots = plan.Files.Concat(explicitFiles.Select(f => new KeyValuePair<string, string>(f.RootfsPath, f.HostPath)))
            .Where(f => ElfFile.HasElfMagic(f.Value))
            .Select(f => new ElfRoot(f.Value, f.Key))
            .OrderBy(r => r.RootfsPath == executable ? 0 : 1)
            .ToList();

        ElfResolution resolution;
        try
        {
            resolution = ElfDependencyResolver.ForPlugin(LibrarySearchPaths, Sysroot).Resolve(roots, Libraries.Where(l => l.Length > 0));
        }
        catch (InvalidDataException ex)
        {
            throw new OciException(ErrorCodes.BadBinary, $"Could not read an ELF file of the plugin: {ex.Message}");
        }

        if (resolution.Missing.Count > 0)
        {
            var missing = string.Join("; ", resolution.Missing.Select(m => $"'{m.Name}' (needed by {m.RequestedBy})"));
            throw new OciException(ErrorCodes.MissingLibrary,
                $"The plugin needs libraries that are not on this build machine: {missing}. Install the package that provides them, add their directory to PluginLibrarySearchPath, or add them as <PluginRootfsFile Include=\"…\" Destination=\"…\" />.");
        }

        foreach (var (rootfsPath, hostPath) in resolution.Libraries)
        {
            plan.AddFile(rootfsPath, hostPath);
        }

        // Explicit items win over resolved libraries: that is how a user pins a different build of a library.
        foreach (var (rootfsPath, hostPath) in explicitFiles)
        {
            plan.AddFile(rootfsPath, hostPath, replace: !plan.ContainsFile(rootfsPath) || resolution.Libraries.ContainsKey(rootfsPath));
        }

        foreach (var directory in PluginDirectories.Concat(Directories.Where(d => d.Length > 0)))
        {
            plan.AddDirectory(directory);
        }

        Changes = RootfsWriter.Apply(plan, RootfsDirectory);
        Info(Changes == 0
            ? $"{RootfsDirectory} is up to date ({plan.Files.Count} files)."
            : $"Assembled {RootfsDirectory}: {plan.Files.Count} files, {Changes} changes ({string.Join(", ", resolution.Libraries.Keys)}).");
    }
}
