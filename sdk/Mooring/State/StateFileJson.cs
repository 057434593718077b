using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.State;

/// <summary>
/// The JSON of a state file: an indented object whose first fields are <c>version</c> and <c>name</c>, then the
/// content each file type reads and writes itself (<see cref="IStateFile"/>). Names match exactly and unknown fields
/// are skipped, so an older plugin reads a newer file of the same format; files are written byte for byte as they
/// always were (with <c>System.Text.Json</c>'s serializer before 2026-12-03), so a rewrite changes nothing a reader sees.
/// </summary>
internal static class StateFileJson
{
    /// <summary>Writes a state file.</summary>
    /// <param name="file">The file, its version and name set.</param>
    /// <returns>Its bytes.</returns>
    public static byte[] Write(IStateFile file) => ReusedJsonWriter<Indented>.Write(file, static (writer, file) =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", file.Version);
        writer.WriteString("name", file.Name);
        file.WriteFields(writer);
        writer.WriteEndObject();
    });

    /// <summary>Reads only a file's format version: it comes first and on its own, because a newer format may have
    /// reshaped everything else.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>The version, or <see langword="null"/> when there is none that can be used (not an object, no
    /// <c>version</c>, not a whole number).</returns>
    /// <exception cref="JsonException">The bytes are not one JSON value.</exception>
    public static int? ReadVersion(ReadOnlySpan<byte> bytes) => JsonFields.Read(bytes, static (ref reader) =>
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var version = new VersionField();
        JsonFields.Object(ref reader, "the file", version, static (ref reader, name, version) =>
        {
            if (name == "version")
            {
                version.Value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : null;
            }

            reader.Skip();
        });
        return version.Value;
    });

    /// <summary>Reads a whole file.</summary>
    /// <typeparam name="TFile">The file type.</typeparam>
    /// <param name="bytes">The file's bytes, whose version <see cref="ReadVersion"/> accepted.</param>
    /// <returns>The file.</returns>
    /// <exception cref="JsonException">A field does not have its type; the message names it.</exception>
    public static TFile Read<TFile>(ReadOnlySpan<byte> bytes)
        where TFile : IStateFile, new()
        => JsonFields.Read(bytes, static (ref reader) =>
        {
            var file = new TFile();
            JsonFields.Object(ref reader, "the file", file, static (ref reader, name, file) =>
            {
                switch (name)
                {
                    case "version":
                        file.Version = JsonFields.Int32(ref reader, name) ?? throw JsonFields.Wrong(name, "a whole number");
                        break;
                    case "name":
                        file.Name = JsonFields.String(ref reader, name);
                        break;
                    default:
                        file.ReadField(ref reader, name);
                        break;
                }
            });
            return file;
        });

    // Indented, with the default encoder: the files' bytes as they have always been.
    private sealed class Indented : IJsonWriterStyle
    {
        private Indented()
        {
        }

        public static JsonWriterOptions Options => new() { Indented = true };
    }

    private sealed class VersionField
    {
        public int? Value { get; set; }
    }
}
