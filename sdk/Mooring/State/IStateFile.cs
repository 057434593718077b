using System.Text.Json;

namespace Mooring.State;

/// <summary>What every state file holds besides its content, so <see cref="StateFileSet{TFile}"/> can check it, and how
/// its content is read and written (<see cref="StateFileJson"/> reads and writes the common part).</summary>
internal interface IStateFile
{
    /// <summary>The format version; readers refuse versions newer than they know instead of guessing.</summary>
    int Version { get; set; }

    /// <summary>The volume the file is for; it must equal the file name without <c>.json</c>.</summary>
    string? Name { get; set; }

    /// <summary>Reads one field of the file's content, or skips a field it does not know (a newer version's).</summary>
    /// <param name="reader">The reader, on the field's value.</param>
    /// <param name="name">The field's name, matched exactly.</param>
    /// <exception cref="JsonException">The value does not have the field's type.</exception>
    void ReadField(ref Utf8JsonReader reader, string name);

    /// <summary>Writes the fields of the file's content, after <c>version</c> and <c>name</c>.</summary>
    /// <param name="writer">The writer, inside the file's object.</param>
    void WriteFields(Utf8JsonWriter writer);
}
