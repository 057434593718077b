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
    // The reading side: one table per object, one line per field.
    private static readonly JsonObjectFields<HealthAnswer> HealthFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = static (ref reader, name, answer) => answer.Status = JsonFields.String(ref reader, name),
        ["version"] = static (ref reader, name, answer) => answer.Version = JsonFields.String(ref reader, name),
        ["uptimeSeconds"] = static (ref reader, name, answer) => answer.UptimeSeconds = JsonFields.Double(ref reader, name),
        ["driver"] = static (ref reader, name, answer) => answer.Driver = JsonFields.String(ref reader, name),
        ["model"] = static (ref reader, name, answer) => answer.Model = JsonFields.String(ref reader, name),
    };

    private static readonly JsonObjectFields<VolumeEntry> VolumeFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = static (ref reader, name, volume) => volume.Name = JsonFields.String(ref reader, name),
        ["phase"] = static (ref reader, name, volume) => volume.Phase = JsonFields.String(ref reader, name),
        ["createdAt"] = static (ref reader, name, volume) => volume.CreatedAt = JsonFields.String(ref reader, name),
        ["options"] = static (ref reader, name, volume) => volume.Options = WithoutNulls(JsonFields.StringMap(ref reader, name)),
        ["mounts"] = static (ref reader, name, volume) => volume.Mounts = JsonFields.Int32Map(ref reader, name),
        ["totalMounts"] = static (ref reader, name, volume) => volume.TotalMounts = JsonFields.Int32(ref reader, name),
    };

    private static readonly JsonObjectFields<UnavailableEntry> UnavailableFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = static (ref reader, name, entry) => entry.Name = JsonFields.String(ref reader, name),
        ["path"] = static (ref reader, name, entry) => entry.Path = JsonFields.String(ref reader, name),
        ["reason"] = static (ref reader, name, entry) => entry.Reason = JsonFields.String(ref reader, name),
    };

    private static readonly JsonObjectFields<VolumesAnswer> VolumesFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["volumes"] = static (ref reader, name, answer) => answer.Volumes = JsonFields.List(ref reader, name, static (ref element) => VolumeFields.Read(ref element, new VolumeEntry())),
        ["unavailable"] = static (ref reader, name, answer) => answer.Unavailable = JsonFields.List(ref reader, name, static (ref element) => UnavailableFields.Read(ref element, new UnavailableEntry())),
    };

    private static readonly JsonObjectFields<ClearedEntry> ClearedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["volume"] = static (ref reader, name, entry) => entry.Volume = JsonFields.String(ref reader, name),
        ["mounts"] = static (ref reader, name, entry) => entry.Mounts = JsonFields.Int32(ref reader, name),
    };

    private static readonly JsonObjectFields<ReconcileAnswer> ReconcileFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cleared"] = static (ref reader, name, answer) => answer.Cleared = JsonFields.List(ref reader, name, static (ref element) => ClearedFields.Read(ref element, new ClearedEntry())),
        ["confirmed"] = static (ref reader, name, answer) => answer.Confirmed = ReadStrings(ref reader, name),
        ["unverified"] = static (ref reader, name, answer) => answer.Unverified = ReadStrings(ref reader, name),
        ["orphans"] = static (ref reader, name, answer) => answer.Orphans = ReadStrings(ref reader, name),
    };

    private static readonly JsonObjectFields<ForgetRequest> ForgetRequestFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["volume"] = static (ref reader, _, request) => request.Volume = JsonFields.String(ref reader, "volume"),
        ["id"] = static (ref reader, _, request) => request.Id = JsonFields.String(ref reader, "id"),
    };

    private static readonly JsonObjectFields<ForgetAnswer> ForgetAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["volume"] = static (ref reader, name, answer) => answer.Volume = JsonFields.String(ref reader, name),
        ["released"] = static (ref reader, name, answer) => answer.Released = JsonFields.Int32(ref reader, name),
        ["totalMounts"] = static (ref reader, name, answer) => answer.TotalMounts = JsonFields.Int32(ref reader, name),
    };

    private static readonly JsonObjectFields<DowngradeAnswer> DowngradeAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["format"] = static (ref reader, name, answer) => answer.Format = JsonFields.Int32(ref reader, name),
        ["volumeFiles"] = static (ref reader, name, answer) => answer.VolumeFiles = JsonFields.Int32(ref reader, name),
        ["mountFiles"] = static (ref reader, name, answer) => answer.MountFiles = JsonFields.Int32(ref reader, name),
        ["unavailable"] = static (ref reader, name, answer) => answer.Unavailable = JsonFields.Int32(ref reader, name),
        ["mounted"] = static (ref reader, name, answer) => answer.Mounted = JsonFields.Int32(ref reader, name),
    };

    private static readonly JsonObjectFields<LogLevelBody> LogLevelFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["level"] = static (ref reader, _, body) => body.Level = JsonFields.String(ref reader, "level"),
    };

    private static readonly JsonObjectFields<ArgumentEntry> ArgumentFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = static (ref reader, name, argument) => argument.Name = JsonFields.String(ref reader, name),
        ["type"] = static (ref reader, name, argument) => argument.Type = JsonFields.String(ref reader, name),
        ["required"] = static (ref reader, name, argument) => argument.Required = JsonFields.Boolean(ref reader, name),
        ["description"] = static (ref reader, name, argument) => argument.Description = JsonFields.String(ref reader, name),
    };

    private static readonly JsonObjectFields<OperationEntry> OperationFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = static (ref reader, name, operation) => operation.Name = JsonFields.String(ref reader, name),
        ["description"] = static (ref reader, name, operation) => operation.Description = JsonFields.String(ref reader, name),
        ["volume"] = static (ref reader, name, operation) => operation.Volume = JsonFields.Boolean(ref reader, name),
        ["arguments"] = static (ref reader, name, operation) => operation.Arguments = JsonFields.List(ref reader, name, static (ref element) => ArgumentFields.Read(ref element, new ArgumentEntry())),
    };

    private static readonly JsonObjectFields<OperationsAnswer> OperationsFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["operations"] = static (ref reader, name, answer) => answer.Operations = JsonFields.List(ref reader, name, static (ref element) => OperationFields.Read(ref element, new OperationEntry())),
    };

    private static readonly JsonObjectFields<OperationRequest> OperationRequestFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["volume"] = static (ref reader, _, request) => request.Volume = JsonFields.String(ref reader, "volume"),
        ["arguments"] = static (ref reader, _, request) => request.Arguments = JsonFields.StringMap(ref reader, "arguments"),
    };

    private static readonly JsonObjectFields<OperationAnswer> OperationAnswerFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["result"] = static (ref reader, name, answer) => answer.Result = WithoutNulls(JsonFields.StringMap(ref reader, name)),
    };

    /// <summary>Reads <c>GET /health</c>'s answer.</summary>
    public static HealthAnswer? ReadHealthAnswer(ref Utf8JsonReader reader) => HealthFields.Read(ref reader, new HealthAnswer());

    /// <summary>Reads <c>GET /volumes</c>'s answer.</summary>
    public static VolumesAnswer? ReadVolumesAnswer(ref Utf8JsonReader reader) => VolumesFields.Read(ref reader, new VolumesAnswer());

    /// <summary>Reads <c>POST /reconcile</c>'s answer.</summary>
    public static ReconcileAnswer? ReadReconcileAnswer(ref Utf8JsonReader reader) => ReconcileFields.Read(ref reader, new ReconcileAnswer());

    /// <summary>Reads one field of <c>POST /forget</c>'s body (for <see cref="RequestReader.TryRead{T}"/>).</summary>
    public static void ReadForgetRequest(ref Utf8JsonReader reader, string name, ForgetRequest request) => ForgetRequestFields.ReadField(ref reader, name, request);

    /// <summary>Reads <c>POST /forget</c>'s answer.</summary>
    public static ForgetAnswer? ReadForgetAnswer(ref Utf8JsonReader reader) => ForgetAnswerFields.Read(ref reader, new ForgetAnswer());

    /// <summary>Reads <c>POST /prepare-downgrade</c>'s answer.</summary>
    public static DowngradeAnswer? ReadDowngradeAnswer(ref Utf8JsonReader reader) => DowngradeAnswerFields.Read(ref reader, new DowngradeAnswer());

    /// <summary>Reads one field of <c>/log-level</c>'s body (for <see cref="RequestReader.TryRead{T}"/>).</summary>
    public static void ReadLogLevelBody(ref Utf8JsonReader reader, string name, LogLevelBody body) => LogLevelFields.ReadField(ref reader, name, body);

    /// <summary>Reads <c>/log-level</c>'s answer.</summary>
    public static LogLevelBody? ReadLogLevelAnswer(ref Utf8JsonReader reader) => LogLevelFields.Read(ref reader, new LogLevelBody());

    /// <summary>Reads <c>GET /operations</c>'s answer.</summary>
    public static OperationsAnswer? ReadOperationsAnswer(ref Utf8JsonReader reader) => OperationsFields.Read(ref reader, new OperationsAnswer());

    /// <summary>Reads one field of <c>POST /operations/&lt;name&gt;</c>'s body (for <see cref="RequestReader.TryRead{T}"/>).</summary>
    public static void ReadOperationRequest(ref Utf8JsonReader reader, string name, OperationRequest request) => OperationRequestFields.ReadField(ref reader, name, request);

    /// <summary>Reads an operation's answer.</summary>
    public static OperationAnswer? ReadOperationAnswer(ref Utf8JsonReader reader) => OperationAnswerFields.Read(ref reader, new OperationAnswer());

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
                JsonFields.WriteInt32Map(writer, "mounts", mounts);
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

    /// <summary>Writes the body of <c>POST /forget</c>.</summary>
    public static void Write(Utf8JsonWriter writer, ForgetRequest request)
    {
        writer.WriteStartObject();
        WriteString(writer, "volume", request.Volume);
        WriteString(writer, "id", request.Id);
        writer.WriteEndObject();
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

    /// <summary>Writes <c>POST /prepare-downgrade</c>'s answer.</summary>
    public static void Write(Utf8JsonWriter writer, DowngradeAnswer answer)
    {
        writer.WriteStartObject();
        WriteNumber(writer, "format", answer.Format);
        WriteNumber(writer, "volumeFiles", answer.VolumeFiles);
        WriteNumber(writer, "mountFiles", answer.MountFiles);
        WriteNumber(writer, "unavailable", answer.Unavailable);
        WriteNumber(writer, "mounted", answer.Mounted);
        writer.WriteEndObject();
    }

    /// <summary>Writes the body and the answer of <c>/log-level</c>.</summary>
    public static void Write(Utf8JsonWriter writer, LogLevelBody body)
    {
        writer.WriteStartObject();
        WriteString(writer, "level", body.Level);
        writer.WriteEndObject();
    }

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

    /// <summary>Writes an operation's answer: <c>{"result":{…}}</c>, or <c>{"result":null}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, OperationAnswer answer)
    {
        writer.WriteStartObject();
        JsonFields.WriteStringMap(writer, "result", answer.Result);
        writer.WriteEndObject();
    }

    private static List<string?>? ReadStrings(ref Utf8JsonReader reader, string field)
        => JsonFields.List(ref reader, field, (ref element) => JsonFields.String(ref element, field));

    // A value the plugin never writes as null (an option, a result) reads as empty when another writer sent null.
    private static Dictionary<string, string>? WithoutNulls(Dictionary<string, string?>? map)
    {
        if (map is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = value ?? string.Empty;
        }

        return result;
    }

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
