using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>
/// The fields of one kind of JSON object, each name with how its value is read into a <typeparamref name="T"/>: a
/// format's reading side as a table, one line per field. Names match as the table's comparer says; a field the table
/// does not name is skipped (a newer writer's).
/// </summary>
/// <typeparam name="T">What the fields are read into.</typeparam>
/// <param name="comparer">How names match: <see cref="StringComparer.OrdinalIgnoreCase"/> for the management socket and
/// the Docker API, as Go and the former serializer settings read them.</param>
internal sealed class JsonObjectFields<T>(StringComparer comparer)
    where T : class
{
    // The readers are kept as object, not as PropertyReader<T>: a Dictionary<string, PropertyReader<T>> for each format
    // is, in a NativeAOT binary, a new dictionary type with its key and value collections, enumerators and interfaces
    // per T, 2-4 KB each; one Dictionary<string, object> serves every format (docs/footprint.md).
    private readonly Dictionary<string, object> _fields = new(comparer);

    /// <summary>Sets how the field <paramref name="name"/> is read: what lets a table be written as an index initializer.</summary>
    /// <param name="name">The field's name.</param>
    public PropertyReader<T> this[string name]
    {
        init => _fields[name] = value;
    }

    /// <summary>Reads one field into <paramref name="target"/>, or skips it.</summary>
    /// <param name="reader">The reader, on the field's value.</param>
    /// <param name="name">The field's name.</param>
    /// <param name="target">What the field is read into.</param>
    public void ReadField(ref Utf8JsonReader reader, string name, T target)
    {
        if (_fields.TryGetValue(name, out var read))
        {
            ((PropertyReader<T>)read)(ref reader, name, target);
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Reads an object into <paramref name="target"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="target">What the fields are read into.</param>
    /// <returns><paramref name="target"/>, or <see langword="null"/> for <c>null</c>.</returns>
    public T? Read(ref Utf8JsonReader reader, T target) => JsonFields.Object(ref reader, "the answer", target, ReadField) ? target : null;
}
