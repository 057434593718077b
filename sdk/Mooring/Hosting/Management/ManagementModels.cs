namespace Mooring.Hosting.Management;

// The management socket's request and answer bodies (docs/troubleshooting.md, "Management socket"): the one model of
// that wire format, written by the plugin (ManagementHandler, OperationProtocol) and read by its `ctl` client
// (Hosting/Control). camelCase on the wire, unlike the plugin protocol's PascalCase, because these are read by people
// and scripts (curl | jq), not dockerd.
//
// Every member is nullable and none is required: `ctl` reads answers from another process, possibly of another plugin
// version, and shows a missing field as empty instead of refusing the whole answer. The plugin sets every field.

/// <summary>The answer to <c>GET /health</c>.</summary>
internal sealed class HealthAnswer
{
    public string? Status { get; init; }

    public string? Version { get; init; }

    public double? UptimeSeconds { get; init; }

    public string? Driver { get; init; }

    /// <summary><c>managed</c> or <c>low-level</c>; absent while starting (the dispatcher that knows is not built yet).</summary>
    public string? Model { get; init; }
}

/// <summary>The answer to <c>GET /volumes</c>.</summary>
internal sealed class VolumesAnswer
{
    public IReadOnlyList<VolumeEntry?>? Volumes { get; init; }

    public IReadOnlyList<UnavailableEntry?>? Unavailable { get; init; }
}

/// <summary>One volume in <see cref="VolumesAnswer"/>.</summary>
internal sealed class VolumeEntry
{
    public string? Name { get; init; }

    public string? Phase { get; init; }

    public string? CreatedAt { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Mount count per mount ID: the IDs are what <c>POST /forget</c> takes.</summary>
    public IReadOnlyDictionary<string, int>? Mounts { get; init; }

    public int? TotalMounts { get; init; }
}

/// <summary>A name whose state could not be read, in <see cref="VolumesAnswer"/>.</summary>
internal sealed class UnavailableEntry
{
    public string? Name { get; init; }

    public string? Path { get; init; }

    public string? Reason { get; init; }
}

/// <summary>The answer to <c>POST /reconcile</c>.</summary>
internal sealed class ReconcileAnswer
{
    public IReadOnlyList<ClearedEntry?>? Cleared { get; init; }

    public IReadOnlyList<string?>? Confirmed { get; init; }

    public IReadOnlyList<string?>? Unverified { get; init; }

    public IReadOnlyList<string?>? Orphans { get; init; }
}

/// <summary>A volume whose counts were dropped, in <see cref="ReconcileAnswer"/>.</summary>
internal sealed class ClearedEntry
{
    public string? Volume { get; init; }

    public int? Mounts { get; init; }
}

/// <summary>The body of <c>POST /forget</c>.</summary>
internal sealed class ForgetRequest
{
    public string? Volume { get; init; }

    public string? Id { get; init; }
}

/// <summary>The answer to <c>POST /forget</c>.</summary>
internal sealed class ForgetAnswer
{
    public string? Volume { get; init; }

    public int? Released { get; init; }

    public int? TotalMounts { get; init; }
}

/// <summary>The body of <c>PUT /log-level</c> and the answer to both <c>/log-level</c> methods.</summary>
internal sealed class LogLevelBody
{
    public string? Level { get; init; }
}

/// <summary>The answer to <c>GET /operations</c>.</summary>
internal sealed class OperationsAnswer
{
    public IReadOnlyList<OperationEntry?>? Operations { get; init; }
}

/// <summary>One driver-defined operation in <see cref="OperationsAnswer"/>.</summary>
internal sealed class OperationEntry
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Whether the operation takes a volume.</summary>
    public bool? Volume { get; init; }

    public IReadOnlyList<ArgumentEntry?>? Arguments { get; init; }
}

/// <summary>One argument of an <see cref="OperationEntry"/>.</summary>
internal sealed class ArgumentEntry
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public bool? Required { get; init; }

    public string? Description { get; init; }
}

/// <summary>The body of <c>POST /operations/&lt;name&gt;</c>: <c>{"volume":"v","arguments":{"k":"v"}}</c>.</summary>
internal sealed class OperationRequest
{
    public string? Volume { get; init; }

    // Values are nullable because JSON may say "k":null; it binds as "" exactly like a -o option (VolumeProtocol.ToOptions).
    public Dictionary<string, string?>? Arguments { get; init; }
}

/// <summary>The answer of an operation: <c>{"result":{…}}</c>, or <c>{"result":null}</c> when it has none.</summary>
internal sealed class OperationAnswer
{
    public IReadOnlyDictionary<string, string>? Result { get; init; }
}
