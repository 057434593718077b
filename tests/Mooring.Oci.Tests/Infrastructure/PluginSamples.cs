using System.Text;

namespace Mooring.Oci.Tests.Infrastructure;

public static class PluginSamples
{
    public const string ConfigJson = """
        {
          "description": "Mooring test plugin",
          "documentation": "https://example.invalid",
          "entrypoint": ["/bin/plugin"],
          "interface": { "types": ["docker.volumedriver/1.0"], "socket": "plugin.sock" },
          "propagatedMount": "/data",
          "RootFS": { "type": "layers", "diff_ids": ["sha256:stale"] }
        }
        """;

    /// <summary>Writes config.json and a small rootfs (an executable, a data file, a symlink, an empty directory).</summary>
    public static string Create(string directory, string payload = "hello")
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson);
        var rootfs = Path.Combine(directory, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "data"));
        var exe = Path.Combine(rootfs, "bin", "plugin");
        File.WriteAllText(exe, "#!/bin/sh\necho " + payload + "\n");
        File.SetUnixFileMode(exe, (UnixFileMode)0b111_101_101);
        var conf = Path.Combine(rootfs, "etc", "plugin.conf");
        File.WriteAllText(conf, "payload=" + payload + "\n");
        File.SetUnixFileMode(conf, (UnixFileMode)0b110_100_100);
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh-link"), "/bin/plugin");
        // A little incompressible data so uploads are not trivially small.
        var random = new Random(42);
        var blob = new byte[200_000];
        random.NextBytes(blob);
        File.WriteAllBytes(Path.Combine(rootfs, "etc", "random.bin"), blob);
        File.WriteAllText(Path.Combine(rootfs, "etc", "z-last.txt"), Encoding.UTF8.GetString(new byte[] { 0x61 }));
        return directory;
    }
}
