using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mooring.Build.Push;

/// <summary>
/// A fingerprint of a plugin directory: every entry's path, type, mode, size, link target and content hash, plus
/// config.json's bytes and the archive timestamp. An unchanged plugin gives the same fingerprint and the layer (the slow
/// part: gzip) is reused instead of rebuilt. Content is hashed rather than trusting size and modification time, which a
/// same-size edit or a time-preserving copy leaves unchanged; SHA-256 is several times faster than the gzip it saves.
/// </summary>
internal static class PluginDirectoryFingerprint
{
    // Bump when the layer format changes, so old caches are not reused.
    private const string FormatVersion = "mooring-layer-2";

    public static string Compute(string pluginDirectory, DateTimeOffset timestamp)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add(FormatVersion);
        Add(timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        hash.AppendData(File.ReadAllBytes(Path.Combine(pluginDirectory, Mooring.Oci.Plugins.PluginPackage.ConfigFileName)));
        var rootfs = new DirectoryInfo(Path.Combine(pluginDirectory, Mooring.Oci.Plugins.PluginPackage.RootfsDirectoryName));
        if (rootfs.Exists)
        {
            AddTree(rootfs, "", Add);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AddTree(DirectoryInfo directory, string prefix, Action<string> add)
    {
        var entries = directory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var path = prefix + "/" + entry.Name;
            var mode = ((int)entry.UnixFileMode).ToString(CultureInfo.InvariantCulture);
            if (entry.LinkTarget is { } target)
            {
                add($"L {path} {mode} {target}");
            }
            else if (entry is DirectoryInfo sub)
            {
                add($"D {path} {mode}");
                AddTree(sub, path, add);
            }
            else if (entry is FileInfo file)
            {
                using var stream = file.OpenRead();
                add($"F {path} {mode} {file.Length} {Convert.ToHexStringLower(SHA256.HashData(stream))}");
            }
        }
    }
}
