using Mooring.TestFixtures;

namespace Mooring.Reliability.Tests;

/// <summary>What differs between the two samples as far as these tests care.</summary>
public sealed record SampleKind(string Name, string SocketName, bool MountsTmpfs)
{
    public static readonly SampleKind Local = new("LocalVolume", "localvolume.sock", MountsTmpfs: false);
    public static readonly SampleKind Tmpfs = new("TmpfsVolume", "tmpfsvolume.sock", MountsTmpfs: true);

    public static SampleKind Of(string name) => name == Local.Name ? Local : Tmpfs;

    public string BinaryIn(BuiltSamples samples) => MountsTmpfs ? samples.TmpfsVolume : samples.LocalVolume;

    /// <summary>Where a volume's files are while it is mounted (and, for LocalVolume, always): both samples are
    /// managed drivers, so this is the SDK's data directory of the volume.</summary>
    public string DataPathOf(PluginProcess plugin, string volume) => Path.Combine(plugin.DataRoot, "volumes", volume);

    public override string ToString() => Name;
}
