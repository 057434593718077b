namespace Mooring.Hosting.Control;

// The management socket's answers and requests (docs/operations.md lists the endpoints). Everything is nullable: the
// answers come from another process, and a missing field is shown as empty rather than crashing the client.

/// <summary><c>GET /health</c>.</summary>
internal sealed record HealthAnswer(string? Status, string? Version, double? UptimeSeconds, string? Driver, string? Model);

/// <summary><c>GET /volumes</c>.</summary>
internal sealed record VolumesAnswer(IReadOnlyList<VolumeEntry?>? Volumes, IReadOnlyList<UnavailableEntry?>? Unavailable);

/// <summary>One volume of <c>GET /volumes</c>.</summary>
internal sealed record VolumeEntry(
    string? Name,
    string? Phase,
    string? CreatedAt,
    IReadOnlyDictionary<string, string?>? Options,
    IReadOnlyDictionary<string, long>? Mounts,
    long? TotalMounts);

/// <summary>State the plugin could not read, listed by <c>GET /volumes</c>.</summary>
internal sealed record UnavailableEntry(string? Name, string? Path, string? Reason);

/// <summary><c>POST /reconcile</c>.</summary>
internal sealed record ReconcileAnswer(
    IReadOnlyList<ClearedEntry?>? Cleared,
    IReadOnlyList<string?>? Confirmed,
    IReadOnlyList<string?>? Unverified,
    IReadOnlyList<string?>? Orphans);

/// <summary>A volume whose recorded mounts <c>POST /reconcile</c> cleared.</summary>
internal sealed record ClearedEntry(string? Volume, long? Mounts);

/// <summary>The body of <c>POST /forget</c>.</summary>
internal sealed record ForgetRequest(string Volume, string? Id);

/// <summary><c>POST /forget</c>.</summary>
internal sealed record ForgetAnswer(string? Volume, long? Released, long? TotalMounts);

/// <summary>The body and answer of <c>GET</c>/<c>PUT /log-level</c>.</summary>
internal sealed record LogLevelBody(string? Level);

/// <summary><c>GET /operations</c>.</summary>
internal sealed record OperationsAnswer(IReadOnlyList<OperationEntry?>? Operations);

/// <summary>A driver-defined operation.</summary>
internal sealed record OperationEntry(string? Name, string? Description, bool? Volume, IReadOnlyList<OperationArgumentEntry?>? Arguments);

/// <summary>An argument of a driver-defined operation.</summary>
internal sealed record OperationArgumentEntry(string? Name, string? Type, bool? Required, string? Description);

/// <summary>The body of <c>POST /operations/&lt;name&gt;</c>.</summary>
internal sealed record OperationRequest(string? Volume, IReadOnlyDictionary<string, string> Arguments);

/// <summary><c>POST /operations/&lt;name&gt;</c>.</summary>
internal sealed record OperationAnswer(IReadOnlyDictionary<string, string?>? Result);

/// <summary>An error answer, <c>{"Err":"…"}</c> (the management socket and dockerd's <c>{"message":"…"}</c>).</summary>
internal sealed record ErrorAnswer(string? Err, string? Message);

/// <summary>One plugin of the Docker API's <c>GET /plugins</c> (only the fields the client uses).</summary>
internal sealed record DockerPlugin(string? Id, string? Name, bool Enabled, DockerPluginConfig? Config);

/// <summary>A plugin's <c>Config</c>.</summary>
internal sealed record DockerPluginConfig(DockerPluginInterface? Interface, IReadOnlyList<string?>? Entrypoint);

/// <summary>A plugin's <c>Config.Interface</c>.</summary>
internal sealed record DockerPluginInterface(string? Socket);
