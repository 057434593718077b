using System.Formats.Tar;
using System.IO.Compression;
using Mooring.Oci.Registry;

namespace Mooring.Push.Tests.Infrastructure;

/// <summary>One tar entry as the tests look at it.</summary>
public sealed record TarItem(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, DateTimeOffset ModificationTime, long Length, string LinkName);

public static class Archives
{
    /// <summary>Every entry of a tar (plain or gzip-compressed), in archive order.</summary>
    public static List<TarItem> ReadEntries(byte[] archive)
    {
        using Stream raw = new MemoryStream(archive);
        using var stream = archive.Length > 2 && archive[0] == 0x1f && archive[1] == 0x8b ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new TarReader(stream);
        var items = new List<TarItem>();
        while (reader.GetNextEntry() is { } entry)
        {
            items.Add(new TarItem(entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, entry.ModificationTime, entry.Length, entry.LinkName));
        }

        return items;
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>A blob through the Mooring.Oci client (which also checks it against its digest).</summary>
    public static async Task<byte[]> ReadBlobAsync(string registry, string repository, string digest, RegistryClientOptions? options = null)
    {
        using var client = new RegistryClient(registry, options);
        using var buffer = new MemoryStream();
        await client.CopyBlobAsync(repository, digest, buffer);
        return buffer.ToArray();
    }

    /// <summary>Every path under <paramref name="root"/> as a tar would name it ("app/", "app/LocalVolume"), links not followed.</summary>
    public static SortedSet<string> TreeNames(string root, string prefix = "")
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false }))
        {
            if (entry is DirectoryInfo directory && entry.LinkTarget is null)
            {
                names.Add(prefix + entry.Name + "/");
                names.UnionWith(TreeNames(directory.FullName, prefix + entry.Name + "/"));
            }
            else
            {
                names.Add(prefix + entry.Name);
            }
        }

        return names;
    }
}
