using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using Mooring.Build.Docker;
using Mooring.Oci;

namespace Mooring.Build.Tasks;

/// <summary>
/// Creates the plugin in a Docker engine from the plugin directory (<c>docker plugin create</c>), optionally enables
/// it, and remembers what it created: a second run with the same content and the plugin still there does nothing.
/// </summary>
public sealed class PluginCreate : DockerEngineTask
{
    /// <summary>The directory holding config.json and rootfs/.</summary>
    [Required]
    public string PluginDirectory { get; set; } = "";

    /// <summary>The plugin name (a Docker reference, e.g. "acme/volumes:1.0" or "localvolume").</summary>
    [Required]
    public string PluginName { get; set; } = "";

    /// <summary>The file that records the last plugin created from this project.</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <summary>Enable the plugin after creating it.</summary>
    public bool Enable { get; set; }

    /// <summary>Disable and remove an existing plugin of the same name first.</summary>
    public bool Replace { get; set; }

    private protected override void Run()
    {
        var name = PluginNames.Validate(PluginName);
        var directory = Path.GetFullPath(PluginDirectory);
        if (!File.Exists(Path.Combine(directory, "config.json")) || !Directory.Exists(Path.Combine(directory, "rootfs")))
        {
            throw new OciException(ErrorCodes.DockerCommandFailed,
                $"'{directory}' does not hold config.json and rootfs/. Run the PluginDirectory target first (dotnet publish -t:PluginCreate does).");
        }

        var docker = ConnectToEngine();

        var digest = DigestDirectory(directory);
        var stamp = $"{name}\n{docker.EngineDisplay}\n{digest}\n";
        var existing = DockerPlugins.Inspect(docker, name, CancellationToken);
        if (existing is not null && File.Exists(StampFile) && File.ReadAllText(StampFile) == stamp + existing.Id + "\n")
        {
            PluginId = existing.Id;
            Info($"Plugin {name} ({existing.Id[..12]}) is up to date.");
        }
        else
        {
            if (existing is not null)
            {
                if (!Replace)
                {
                    throw new OciException(ErrorCodes.PluginExists,
                        $"A plugin named '{name}' already exists in the engine at {docker.EngineDisplay}. Set PluginReplace=true to replace it (it is disabled and removed first), or choose another PluginName.");
                }

                Info($"Replacing plugin {name}.");
                docker.Run(["plugin", "disable", "-f", name], TimeSpan.FromMinutes(1), CancellationToken);
                DockerPlugins.Require(docker.Run(["plugin", "rm", "-f", name], TimeSpan.FromMinutes(1), CancellationToken), $"docker plugin rm -f {name}");
            }

            DockerPlugins.Require(docker.Run(["plugin", "create", name, directory], TimeSpan.FromMinutes(10), CancellationToken), $"docker plugin create {name}");
            existing = DockerPlugins.Inspect(docker, name, CancellationToken)
                ?? throw new OciException(ErrorCodes.DockerCommandFailed, $"docker plugin create {name} succeeded but the engine does not show the plugin.");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StampFile))!);
            File.WriteAllText(StampFile, stamp + existing.Id + "\n");
            Log.LogMessage(MessageImportance.High, $"Created plugin {name} ({existing.Id[..12]}) in {docker.EngineDisplay}.");
        }

        PluginId = existing.Id;
        if (Enable && !existing.Enabled)
        {
            DockerPlugins.Require(docker.Run(["plugin", "enable", name], TimeSpan.FromMinutes(2), CancellationToken), $"docker plugin enable {name}",
                " The plugin's own output is in the engine's log (plugin=<id>).");
            Log.LogMessage(MessageImportance.High, $"Enabled plugin {name}.");
        }
    }

    // What docker plugin create would send: names, modes and content of everything under the directory.
    private static string DigestDirectory(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .OrderBy(e => e.FullName, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var relative = Path.GetRelativePath(directory, entry.FullName);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{(int)entry.UnixFileMode}\0{entry.LinkTarget}\0"));
            if (entry is FileInfo file && entry.LinkTarget is null)
            {
                using var stream = file.OpenRead();
                hash.AppendData(SHA256.HashData(stream));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
