using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mooring.Hosting.Management;

namespace Mooring.Hosting.Control;

/// <summary>How <c>ctl</c> prints answers: aligned tables by default, JSON with <c>--json</c>. Every value that came from
/// the plugin or Docker goes through <see cref="TerminalText"/> here.</summary>
internal static class ControlOutput
{
    private const string None = "-";

    private static readonly JsonWriterOptions JsonOutput = new()
    {
        Indented = true,

        // Keeps non-ASCII names readable (it still escapes control characters); Json() escapes the format characters
        // it leaves raw, so the JSON printed cannot drive the terminal either.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    /// <summary>The error an answer carries: its <c>Err</c> (or dockerd's <c>message</c>), else the start of its body.</summary>
    public static string ErrorText(UnixHttpResponse answer)
    {
        try
        {
            var error = ControlJson.ReadErrorAnswer(answer.Body);
            if ((error?.Err ?? error?.Message) is { Length: > 0 } message)
            {
                return TerminalText.Escape(message);
            }
        }
        catch (JsonException)
        {
        }

        return answer.Body.Length == 0 ? "(no message)" : TerminalText.Escape(answer.BodyText.Trim(), 200);
    }

    /// <summary>Prints <paramref name="body"/> as indented JSON, re-encoded so that nothing in it reaches the terminal raw.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static void Json(TextWriter output, byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput))
        {
            // Token by token from reader to writer: every string is decoded and encoded again, so what reaches the
            // terminal is what the writer's encoder allows, whatever escapes the plugin sent.
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                Copy(ref reader, writer);
            }
        }

        output.WriteLine(TerminalText.EscapeJson(System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
    }

    /// <summary>Prints rows under a header, each column as wide as its widest cell; every cell is escaped.</summary>
    public static void Table(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        List<string[]> cells = [header.ConvertAll(static h => h)];
        foreach (var row in rows)
        {
            var escaped = new string[row.Count];
            for (var i = 0; i < escaped.Length; i++)
            {
                escaped[i] = string.IsNullOrEmpty(row[i]) ? None : TerminalText.Escape(row[i]);
            }

            cells.Add(escaped);
        }

        var widths = new int[header.Count];
        foreach (var row in cells)
        {
            for (var i = 0; i < Math.Min(row.Length, widths.Length); i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var line = new System.Text.StringBuilder();
        foreach (var row in cells)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == 0 ? "" : "   ").Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    public static void Health(TextWriter output, HealthAnswer health) =>
        Table(output, ["STATUS", "VERSION", "UPTIME", "DRIVER", "MODEL"], [[
            health.Status,
            health.Version,
            health.UptimeSeconds is { } seconds ? Uptime(seconds) : null,
            health.Driver,
            health.Model,
        ]]);

    public static void Volumes(TextWriter output, VolumesAnswer answer)
    {
        var volumes = answer.Volumes.NonNull();
        var rows = new List<IReadOnlyList<string?>>(volumes.Count);
        var mounts = new List<IReadOnlyList<string?>>(); // the IDs are what `forget VOLUME ID` takes
        foreach (var v in volumes)
        {
            rows.Add([
                v.Name,
                v.Phase,
                v.CreatedAt,
                (v.TotalMounts ?? v.Mounts?.Total() ?? 0).ToString(CultureInfo.InvariantCulture),
                v.Options is null ? null : string.Join(",", v.Options.SortedByKey().ConvertAll(static o => $"{o.Key}={o.Value}")),
            ]);
            foreach (var m in v.Mounts?.SortedByKey() ?? [])
            {
                mounts.Add([v.Name, m.Key, m.Value.ToString(CultureInfo.InvariantCulture)]);
            }
        }

        Table(output, ["NAME", "PHASE", "CREATED", "MOUNTS", "OPTIONS"], rows);
        if (mounts.Count > 0)
        {
            output.WriteLine();
            Table(output, ["VOLUME", "MOUNT ID", "COUNT"], mounts);
        }

        var unavailable = answer.Unavailable.NonNull();
        if (unavailable.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("State the plugin could not read (left untouched):");
            Table(output, ["NAME", "REASON", "PATH"], unavailable.ConvertAll(static u => (IReadOnlyList<string?>)[u.Name, u.Reason, u.Path]));
        }
    }

    public static void Reconcile(TextWriter output, ReconcileAnswer answer)
    {
        var cleared = answer.Cleared.NonNull().ConvertAll(static c => $"{c.Volume} ({c.Mounts ?? 0} mount{(c.Mounts == 1 ? "" : "s")})");
        Table(output, ["RESULT", "VOLUMES"], [
            ["cleared", List(cleared)],
            ["confirmed", List(answer.Confirmed)],
            ["unverified", List(answer.Unverified)],
            ["orphans", List(answer.Orphans)],
        ]);
    }

    public static void Forget(TextWriter output, ForgetAnswer answer) =>
        output.WriteLine(
            $"volume '{TerminalText.Escape(answer.Volume)}': released {answer.Released ?? 0} mount{(answer.Released == 1 ? "" : "s")}, "
            + $"{answer.TotalMounts ?? 0} remain{(answer.TotalMounts == 1 ? "s" : "")}");

    public static void Downgrade(TextWriter output, DowngradeAnswer answer)
    {
        output.WriteLine(
            $"State written back at format {answer.Format}: {answer.VolumeFiles ?? 0} volume record{(answer.VolumeFiles == 1 ? "" : "s")}, "
            + $"{answer.MountFiles ?? 0} mount count file{(answer.MountFiles == 1 ? "" : "s")}. The plugin now refuses every change.");
        if (answer.Unavailable is > 0)
        {
            output.WriteLine($"{answer.Unavailable} volume{(answer.Unavailable == 1 ? "'s" : "s'")} state could not be read and was left as it is ('ctl volumes' lists them); the older version refuses them too.");
        }

        if (answer.Mounted is > 0)
        {
            output.WriteLine($"{answer.Mounted} volume{(answer.Mounted == 1 ? " is" : "s are")} mounted: stop the containers that use {(answer.Mounted == 1 ? "it" : "them")} first. Their Unmounts are refused now, and 'docker plugin disable -f' unmounts {(answer.Mounted == 1 ? "it" : "them")} from under them.");
        }

        // -f: dockerd refuses to disable a plugin that still has volumes ("plugin is in use"), and one with state to write
        // back has some (eng/check-downgrade.sh found the plain form refused).
        output.WriteLine("Next: docker plugin disable -f <plugin>; docker plugin upgrade <plugin> <older reference>; docker plugin enable <plugin>.");
        output.WriteLine("To undo instead, restart the plugin (docker plugin disable -f, then enable): it writes its own format again.");
    }

    public static void LogLevel(TextWriter output, LogLevelBody answer) => output.WriteLine(TerminalText.Escape(answer.Level));

    public static void Metrics(TextWriter output, string text) => output.Write(TerminalText.EscapeLines(text));

    public static void Operations(TextWriter output, OperationsAnswer answer) =>
        Table(output, ["NAME", "VOLUME", "ARGUMENTS", "DESCRIPTION"], answer.Operations.NonNull().ConvertAll(static o => (IReadOnlyList<string?>)[
            o.Name,
            o.Volume == true ? "yes" : "no",
            List(o.Arguments.NonNull().ConvertAll(static a => $"{a.Name}={a.Type}{(a.Required == true ? " (required)" : "")}")),
            o.Description,
        ]));

    public static void Operation(TextWriter output, string name, OperationAnswer answer)
    {
        if (answer.Result is null || answer.Result.Count == 0)
        {
            output.WriteLine($"operation '{TerminalText.Escape(name)}' done");
            return;
        }

        Table(output, ["KEY", "VALUE"], answer.Result.SortedByKey().ConvertAll(static r => (IReadOnlyList<string?>)[r.Key, r.Value]));
    }

    private static string? List(IEnumerable<string?>? items)
    {
        var list = new List<string>();
        foreach (var item in items ?? [])
        {
            if (!string.IsNullOrEmpty(item))
            {
                list.Add(item);
            }
        }

        return list.Count == 0 ? null : string.Join(", ", list);
    }

    private static string Uptime(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 1e10));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h {span.Minutes}m"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m {span.Seconds}s"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#}s");
    }

    private static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            case JsonTokenType.PropertyName:
                writer.WritePropertyName(Decoded(ref reader));
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(Decoded(ref reader));
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); // the reader checked its grammar
                break;
            case JsonTokenType.True or JsonTokenType.False:
                writer.WriteBooleanValue(reader.GetBoolean());
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // Text no .NET string can hold (an escaped lone surrogate, "\ud800") is shown as the escapes the plugin sent, not
    // refused: the answer was already read, and this only prints it.
    private static string Decoded(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }
}
