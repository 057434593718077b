using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.State;

/// <summary>The on-disk form of one volume's mount counts: <c>{"version":2,"name":…,"mounts":{"&lt;id&gt;":1}}</c>.</summary>
internal sealed class MountLedgerFile : IStateFile
{
    /// <inheritdoc/>
    public int Version { get; set; }

    /// <inheritdoc/>
    public string? Name { get; set; }

    /// <summary>Mount ID → how many times it is mounted.</summary>
    public Dictionary<string, int>? Mounts { get; set; }

    /// <inheritdoc/>
    public void ReadField(ref Utf8JsonReader reader, string name)
    {
        if (name == "mounts")
        {
            Mounts = JsonFields.Int32Map(ref reader, name);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <inheritdoc/>
    public void WriteFields(Utf8JsonWriter writer) => JsonFields.WriteInt32Map(writer, "mounts", Mounts);
}
