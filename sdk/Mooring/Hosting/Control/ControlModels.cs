namespace Mooring.Hosting.Control;

// What the `ctl` client reads besides the management socket's own answers (those are modelled once, for the plugin and
// the client: Management/ManagementModels.cs). Everything is nullable: the answers come from another process, and a
// missing field is shown as empty rather than crashing the client.

/// <summary>An error answer, <c>{"Err":"…"}</c> (the management socket and dockerd's <c>{"message":"…"}</c>).</summary>
internal sealed record ErrorAnswer(string? Err, string? Message);

/// <summary>One plugin of the Docker API's <c>GET /plugins</c> (only the fields the client uses).</summary>
internal sealed record DockerPlugin(string? Id, string? Name, bool Enabled, DockerPluginConfig? Config);

/// <summary>A plugin's <c>Config</c>.</summary>
internal sealed record DockerPluginConfig(DockerPluginInterface? Interface, IReadOnlyList<string?>? Entrypoint);

/// <summary>A plugin's <c>Config.Interface</c>.</summary>
internal sealed record DockerPluginInterface(string? Socket);
