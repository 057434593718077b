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
    public string? Status { get; set; }

    public string? Version { get; set; }

    public double? UptimeSeconds { get; set; }

    public string? Driver { get; set; }

    /// <summary><c>managed</c> or <c>low-level</c>; absent while starting (the dispatcher that knows is not built yet).</summary>
    public string? Model { get; set; }
}

/// <summary>The answer to <c>GET /volumes</c>.</summary>
internal sealed class VolumesAnswer
{
    public IReadOnlyList<VolumeEntry?>? Volumes { get; set; }

    public IReadOnlyList<UnavailableEntry?>? Unavailable { get; set; }
}

/// <summary>One volume in <see cref="VolumesAnswer"/>.</summary>
internal sealed class VolumeEntry
{
    public string? Name { get; set; }

    public string? Phase { get; set; }

    public string? CreatedAt { get; set; }

    public IReadOnlyDictionary<string, string>? Options { get; set; }

    /// <summary>Mount count per mount ID: the IDs are what <c>POST /forget</c> takes.</summary>
    public IReadOnlyDictionary<string, int>? Mounts { get; set; }

    public int? TotalMounts { get; set; }
}

/// <summary>A name whose state could not be read, in <see cref="VolumesAnswer"/>.</summary>
internal sealed class UnavailableEntry
{
    public string? Name { get; set; }

    public string? Path { get; set; }

    public string? Reason { get; set; }
}

/// <summary>The answer to <c>POST /reconcile</c>.</summary>
internal sealed class ReconcileAnswer
{
    public IReadOnlyList<ClearedEntry?>? Cleared { get; set; }

    public IReadOnlyList<string?>? Confirmed { get; set; }

    public IReadOnlyList<string?>? Unverified { get; set; }

    public IReadOnlyList<string?>? Orphans { get; set; }
}

/// <summary>A volume whose counts were dropped, in <see cref="ReconcileAnswer"/>.</summary>
internal sealed class ClearedEntry
{
    public string? Volume { get; set; }

    public int? Mounts { get; set; }
}

/// <summary>The body of <c>POST /forget</c>.</summary>
internal sealed class ForgetRequest
{
    public string? Volume { get; set; }

    public string? Id { get; set; }
}

/// <summary>The answer to <c>POST /forget</c>.</summary>
internal sealed class ForgetAnswer
{
    public string? Volume { get; set; }

    public int? Released { get; set; }

    public int? TotalMounts { get; set; }
}

/// <summary>The answer to <c>POST /prepare-downgrade</c>.</summary>
internal sealed class DowngradeAnswer
{
    public int? Format { get; set; }

    public int? VolumeFiles { get; set; }

    public int? MountFiles { get; set; }

    public int? Unavailable { get; set; }

    public int? Mounted { get; set; }
}

/// <summary>The body of <c>PUT /log-level</c> and the answer to both <c>/log-level</c> methods.</summary>
internal sealed class LogLevelBody
{
    public string? Level { get; set; }
}

/// <summary>The answer to <c>GET /operations</c>.</summary>
internal sealed class OperationsAnswer
{
    public IReadOnlyList<OperationEntry?>? Operations { get; set; }
}

/// <summary>One driver-defined operation in <see cref="OperationsAnswer"/>.</summary>
internal sealed class OperationEntry
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Whether the operation takes a volume.</summary>
    public bool? Volume { get; set; }

    public IReadOnlyList<ArgumentEntry?>? Arguments { get; set; }
}

/// <summary>One argument of an <see cref="OperationEntry"/>.</summary>
internal sealed class ArgumentEntry
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public bool? Required { get; set; }

    public string? Description { get; set; }
}

/// <summary>The body of <c>POST /operations/&lt;name&gt;</c>: <c>{"volume":"v","arguments":{"k":"v"}}</c>.</summary>
internal sealed class OperationRequest
{
    public string? Volume { get; set; }

    // Values are nullable because JSON may say "k":null; it binds as "" exactly like a -o option (VolumeProtocol.ToOptions).
    public Dictionary<string, string?>? Arguments { get; set; }
}

/// <summary>The answer of an operation: <c>{"result":{…}}</c>, or <c>{"result":null}</c> when it has none.</summary>
internal sealed class OperationAnswer
{
    public IReadOnlyDictionary<string, string>? Result { get; set; }
}
