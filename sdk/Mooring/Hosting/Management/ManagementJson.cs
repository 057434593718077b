using System.Text.Json;
using Mooring.Protocol;

namespace Mooring.Hosting.Management;

/// <summary>
/// The JSON form of the management socket's bodies (ManagementModels.cs): the one owner of that wire format, written
/// by the plugin (ManagementHandler, OperationProtocol) and the <c>ctl</c> client's requests, read by the plugin's
/// request handling and by the client. Output is camelCase and leaves out what is <see langword="null"/>; input names
/// match case-insensitively, unknown fields are skipped, and a missing field reads as <see langword="null"/>.
/// </summary>
internal static class ManagementJson
{
    /// <summary>Writes <c>GET /health</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, HealthAnswer answer)
    {
        writer.WriteStartObject();
        WriteString(writer, "status", answer.Status);
        WriteString(writer, "version", answer.Version);
        if (answer.UptimeSeconds is { } uptime)
        {
            writer.WriteNumber("uptimeSeconds", uptime);
        }

        WriteString(writer, "driver", answer.Driver);
        WriteString(writer, "model", answer.Model);
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>GET /health</c>'s answer.</summary>
    public static HealthAnswer? ReadHealthAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new HealthAnswer(), static (ref reader, name, answer) =>
    {
        if (Is(name, "status"))
        {
            answer.Status = JsonFields.String(ref reader, name);
        }
        else if (Is(name, "version"))
        {
            answer.Version = JsonFields.String(ref reader, name);
        }
        else if (Is(name, "uptimeSeconds"))
        {
            answer.UptimeSeconds = JsonFields.Double(ref reader, name);
        }
        else if (Is(name, "driver"))
        {
            answer.Driver = JsonFields.String(ref reader, name);
        }
        else if (Is(name, "model"))
        {
            answer.Model = JsonFields.String(ref reader, name);
        }
        else
        {
            reader.Skip();
        }
    });

    /// <summary>Writes <c>GET /volumes</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, VolumesAnswer answer)
    {
        writer.WriteStartObject();
        WriteList(writer, "volumes", answer.Volumes, static (writer, volume) =>
        {
            writer.WriteStartObject();
            WriteString(writer, "name", volume.Name);
            WriteString(writer, "phase", volume.Phase);
            WriteString(writer, "createdAt", volume.CreatedAt);
            if (volume.Options is { } options)
            {
                JsonFields.WriteStringMap(writer, "options", options);
            }

            if (volume.Mounts is { } mounts)
            {
                writer.WriteStartObject("mounts");
                foreach (var (id, count) in mounts)
                {
                    writer.WriteNumber(id, count);
                }

                writer.WriteEndObject();
            }

            WriteNumber(writer, "totalMounts", volume.TotalMounts);
            writer.WriteEndObject();
        });
        WriteList(writer, "unavailable", answer.Unavailable, static (writer, entry) =>
        {
            writer.WriteStartObject();
            WriteString(writer, "name", entry.Name);
            WriteString(writer, "path", entry.Path);
            WriteString(writer, "reason", entry.Reason);
            writer.WriteEndObject();
        });
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>GET /volumes</c>'s answer.</summary>
    public static VolumesAnswer? ReadVolumesAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new VolumesAnswer(), static (ref reader, name, answer) =>
    {
        if (Is(name, "volumes"))
        {
            answer.Volumes = JsonFields.List(ref reader, name, static (ref reader) => ReadObject(ref reader, new VolumeEntry(), static (ref reader, name, volume) =>
            {
                if (Is(name, "name"))
                {
                    volume.Name = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "phase"))
                {
                    volume.Phase = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "createdAt"))
                {
                    volume.CreatedAt = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "options"))
                {
                    volume.Options = WithoutNulls(JsonFields.StringMap(ref reader, name));
                }
                else if (Is(name, "mounts"))
                {
                    volume.Mounts = JsonFields.Int32Map(ref reader, name);
                }
                else if (Is(name, "totalMounts"))
                {
                    volume.TotalMounts = JsonFields.Int32(ref reader, name);
                }
                else
                {
                    reader.Skip();
                }
            }));
        }
        else if (Is(name, "unavailable"))
        {
            answer.Unavailable = JsonFields.List(ref reader, name, static (ref reader) => ReadObject(ref reader, new UnavailableEntry(), static (ref reader, name, entry) =>
            {
                if (Is(name, "name"))
                {
                    entry.Name = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "path"))
                {
                    entry.Path = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "reason"))
                {
                    entry.Reason = JsonFields.String(ref reader, name);
                }
                else
                {
                    reader.Skip();
                }
            }));
        }
        else
        {
            reader.Skip();
        }
    });

    /// <summary>Writes <c>POST /reconcile</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, ReconcileAnswer answer)
    {
        writer.WriteStartObject();
        WriteList(writer, "cleared", answer.Cleared, static (writer, entry) =>
        {
            writer.WriteStartObject();
            WriteString(writer, "volume", entry.Volume);
            WriteNumber(writer, "mounts", entry.Mounts);
            writer.WriteEndObject();
        });
        WriteStrings(writer, "confirmed", answer.Confirmed);
        WriteStrings(writer, "unverified", answer.Unverified);
        WriteStrings(writer, "orphans", answer.Orphans);
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>POST /reconcile</c>'s answer.</summary>
    public static ReconcileAnswer? ReadReconcileAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new ReconcileAnswer(), static (ref reader, name, answer) =>
    {
        if (Is(name, "cleared"))
        {
            answer.Cleared = JsonFields.List(ref reader, name, static (ref reader) => ReadObject(ref reader, new ClearedEntry(), static (ref reader, name, entry) =>
            {
                if (Is(name, "volume"))
                {
                    entry.Volume = JsonFields.String(ref reader, name);
                }
                else if (Is(name, "mounts"))
                {
                    entry.Mounts = JsonFields.Int32(ref reader, name);
                }
                else
                {
                    reader.Skip();
                }
            }));
        }
        else if (Is(name, "confirmed"))
        {
            answer.Confirmed = ReadStrings(ref reader, name);
        }
        else if (Is(name, "unverified"))
        {
            answer.Unverified = ReadStrings(ref reader, name);
        }
        else if (Is(name, "orphans"))
        {
            answer.Orphans = ReadStrings(ref reader, name);
        }
        else
        {
            reader.Skip();
        }
    });

    /// <summary>Writes the body of <c>POST /forget</c>.</summary>
    public static void Write(Utf8JsonWriter writer, ForgetRequest request)
    {
        writer.WriteStartObject();
        WriteString(writer, "volume", request.Volume);
        WriteString(writer, "id", request.Id);
        writer.WriteEndObject();
    }

    /// <summary>Reads one field of <c>POST /forget</c>'s body (for <see cref="Protocol.RequestReader.TryRead{T}"/>).</summary>
    public static void ReadForgetRequest(ref Utf8JsonReader reader, string name, ForgetRequest request)
    {
        if (Is(name, "volume"))
        {
            request.Volume = JsonFields.String(ref reader, "volume");
        }
        else if (Is(name, "id"))
        {
            request.Id = JsonFields.String(ref reader, "id");
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Writes <c>POST /forget</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, ForgetAnswer answer)
    {
        writer.WriteStartObject();
        WriteString(writer, "volume", answer.Volume);
        WriteNumber(writer, "released", answer.Released);
        WriteNumber(writer, "totalMounts", answer.TotalMounts);
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>POST /forget</c>'s answer.</summary>
    public static ForgetAnswer? ReadForgetAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new ForgetAnswer(), static (ref reader, name, answer) =>
    {
        if (Is(name, "volume"))
        {
            answer.Volume = JsonFields.String(ref reader, name);
        }
        else if (Is(name, "released"))
        {
            answer.Released = JsonFields.Int32(ref reader, name);
        }
        else if (Is(name, "totalMounts"))
        {
            answer.TotalMounts = JsonFields.Int32(ref reader, name);
        }
        else
        {
            reader.Skip();
        }
    });

    /// <summary>Writes the body and the answer of <c>/log-level</c>.</summary>
    public static void Write(Utf8JsonWriter writer, LogLevelBody body)
    {
        writer.WriteStartObject();
        WriteString(writer, "level", body.Level);
        writer.WriteEndObject();
    }

    /// <summary>Reads one field of <c>/log-level</c>'s body (for <see cref="Protocol.RequestReader.TryRead{T}"/>).</summary>
    public static void ReadLogLevelBody(ref Utf8JsonReader reader, string name, LogLevelBody body)
    {
        if (Is(name, "level"))
        {
            body.Level = JsonFields.String(ref reader, "level");
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Reads <c>/log-level</c>'s answer.</summary>
    public static LogLevelBody? ReadLogLevelAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new LogLevelBody(), ReadLogLevelBody);

    /// <summary>Writes <c>GET /operations</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, OperationsAnswer answer)
    {
        writer.WriteStartObject();
        WriteList(writer, "operations", answer.Operations, static (writer, operation) =>
        {
            writer.WriteStartObject();
            WriteString(writer, "name", operation.Name);
            WriteString(writer, "description", operation.Description);
            WriteBoolean(writer, "volume", operation.Volume);
            WriteList(writer, "arguments", operation.Arguments, static (writer, argument) =>
            {
                writer.WriteStartObject();
                WriteString(writer, "name", argument.Name);
                WriteString(writer, "type", argument.Type);
                WriteBoolean(writer, "required", argument.Required);
                WriteString(writer, "description", argument.Description);
                writer.WriteEndObject();
            });
            writer.WriteEndObject();
        });
        writer.WriteEndObject();
    }

    /// <summary>Reads <c>GET /operations</c>'s answer.</summary>
    public static OperationsAnswer? ReadOperationsAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new OperationsAnswer(), static (ref reader, name, answer) =>
    {
        if (!Is(name, "operations"))
        {
            reader.Skip();
            return;
        }

        answer.Operations = JsonFields.List(ref reader, name, static (ref reader) => ReadObject(ref reader, new OperationEntry(), static (ref reader, name, operation) =>
        {
            if (Is(name, "name"))
            {
                operation.Name = JsonFields.String(ref reader, name);
            }
            else if (Is(name, "description"))
            {
                operation.Description = JsonFields.String(ref reader, name);
            }
            else if (Is(name, "volume"))
            {
                operation.Volume = JsonFields.Boolean(ref reader, name);
            }
            else if (Is(name, "arguments"))
            {
                operation.Arguments = JsonFields.List(ref reader, name, static (ref reader) => ReadObject(ref reader, new ArgumentEntry(), static (ref reader, name, argument) =>
                {
                    if (Is(name, "name"))
                    {
                        argument.Name = JsonFields.String(ref reader, name);
                    }
                    else if (Is(name, "type"))
                    {
                        argument.Type = JsonFields.String(ref reader, name);
                    }
                    else if (Is(name, "required"))
                    {
                        argument.Required = JsonFields.Boolean(ref reader, name);
                    }
                    else if (Is(name, "description"))
                    {
                        argument.Description = JsonFields.String(ref reader, name);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }));
            }
            else
            {
                reader.Skip();
            }
        }));
    });

    /// <summary>Writes the body of <c>POST /operations/&lt;name&gt;</c>.</summary>
    public static void Write(Utf8JsonWriter writer, OperationRequest request)
    {
        writer.WriteStartObject();
        WriteString(writer, "volume", request.Volume);
        if (request.Arguments is { } arguments)
        {
            JsonFields.WriteStringMap(writer, "arguments", arguments);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one field of <c>POST /operations/&lt;name&gt;</c>'s body (for <see cref="Protocol.RequestReader.TryRead{T}"/>).</summary>
    public static void ReadOperationRequest(ref Utf8JsonReader reader, string name, OperationRequest request)
    {
        if (Is(name, "volume"))
        {
            request.Volume = JsonFields.String(ref reader, "volume");
        }
        else if (Is(name, "arguments"))
        {
            request.Arguments = JsonFields.StringMap(ref reader, "arguments");
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>Writes an operation's answer: <c>{"result":{…}}</c>, or <c>{"result":null}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, OperationAnswer answer)
    {
        writer.WriteStartObject();
        JsonFields.WriteStringMap(writer, "result", answer.Result);
        writer.WriteEndObject();
    }

    /// <summary>Reads an operation's answer.</summary>
    public static OperationAnswer? ReadOperationAnswer(ref Utf8JsonReader reader) => ReadObject(ref reader, new OperationAnswer(), static (ref reader, name, answer) =>
    {
        if (Is(name, "result"))
        {
            answer.Result = WithoutNulls(JsonFields.StringMap(ref reader, name));
        }
        else
        {
            reader.Skip();
        }
    });

    // Input names match whatever their case.
    private static bool Is(string name, string field) => string.Equals(name, field, StringComparison.OrdinalIgnoreCase);

    private static T? ReadObject<T>(ref Utf8JsonReader reader, T target, PropertyReader<T> property)
        where T : class
        => JsonFields.Object(ref reader, "the answer", target, property) ? target : null;

    private static List<string?>? ReadStrings(ref Utf8JsonReader reader, string field)
        => JsonFields.List(ref reader, field, (ref element) => JsonFields.String(ref element, field));

    // A value the plugin never writes as null (an option, a result) reads as empty when another writer sent null.
    private static Dictionary<string, string>? WithoutNulls(Dictionary<string, string?>? map)
        => map?.ToDictionary(static e => e.Key, static e => e.Value ?? string.Empty, StringComparer.Ordinal);

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteBoolean(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string?>? values)
        => WriteList(writer, name, values, static (writer, value) => writer.WriteStringValue(value));

    // A null element is written as null, as the serializer did; a null list is left out.
    private static void WriteList<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T?>? items, Action<Utf8JsonWriter, T> write)
    {
        if (items is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            if (item is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                write(writer, item);
            }
        }

        writer.WriteEndArray();
    }
}
