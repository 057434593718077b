using System.ComponentModel;

namespace Mooring.Hosting.Metadata;

/// <summary>A plugin's identity, generated from its attributes.</summary>
/// <param name="ManifestJson">The generated part of <c>config.json</c>.</param>
/// <param name="SocketName">The socket file name under <c>/run/docker/plugins</c>.</param>
/// <param name="PropagatedMount">The in-plugin path of the propagated mount (the default data root).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record PluginDescriptor(string ManifestJson, string SocketName, string PropagatedMount);
