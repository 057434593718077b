namespace Mooring.Hosting.Management;

// The management socket's request and answer bodies (docs/troubleshooting.md, "Management socket"). camelCase on the
// wire, unlike the plugin protocol's PascalCase, because these are read by people and scripts (curl | jq), not dockerd.

/// <summary>The answer to <c>GET /health</c>.</summary>
internal sealed class HealthAnswer
{
    public required string Status { get; init; }

    public required string Version { get; init; }

    public required double UptimeSeconds { get; init; }

    public required string Driver { get; init; }

    /// <summary><c>managed</c> or <c>low-level</c>; absent while starting (the dispatcher that knows is not built yet).</summary>
    public string? Model { get; init; }
}

/// <summary>The answer to <c>GET /volumes</c>.</summary>
internal sealed class VolumesAnswer
{
    public required VolumeEntry[] Volumes { get; init; }

    public required UnavailableEntry[] Unavailable { get; init; }
}

/// <summary>One volume in <see cref="VolumesAnswer"/>.</summary>
internal sealed class VolumeEntry
{
    public required string Name { get; init; }

    public required string Phase { get; init; }

    public required string CreatedAt { get; init; }

    public required IReadOnlyDictionary<string, string> Options { get; init; }

    public required IReadOnlyDictionary<string, int> Mounts { get; init; }

    public required int TotalMounts { get; init; }
}

/// <summary>A name whose state could not be read, in <see cref="VolumesAnswer"/>.</summary>
internal sealed class UnavailableEntry
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    public required string Reason { get; init; }
}

/// <summary>The answer to <c>POST /reconcile</c>.</summary>
internal sealed class ReconcileAnswer
{
    public required ClearedEntry[] Cleared { get; init; }

    public required IReadOnlyList<string> Confirmed { get; init; }

    public required IReadOnlyList<string> Unverified { get; init; }

    public required string[] Orphans { get; init; }
}

/// <summary>A volume whose counts were dropped, in <see cref="ReconcileAnswer"/>.</summary>
internal sealed class ClearedEntry
{
    public required string Volume { get; init; }

    public required int Mounts { get; init; }
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
    public required string Volume { get; init; }

    public required int Released { get; init; }

    public required int TotalMounts { get; init; }
}

/// <summary>The body of <c>PUT /log-level</c> and the answer to both <c>/log-level</c> methods.</summary>
internal sealed class LogLevelBody
{
    public string? Level { get; set; }
}

/// <summary>The answer to <c>GET /operations</c>.</summary>
internal sealed class OperationsAnswer
{
    public required OperationEntry[] Operations { get; init; }
}

/// <summary>One driver-defined operation in <see cref="OperationsAnswer"/>.</summary>
internal sealed class OperationEntry
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required bool Volume { get; init; }

    public required ArgumentEntry[] Arguments { get; init; }
}

/// <summary>One argument of an <see cref="OperationEntry"/>.</summary>
internal sealed class ArgumentEntry
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public required bool Required { get; init; }

    public required string Description { get; init; }
}
