using System.ComponentModel;

namespace Mooring.Hosting.Metadata;

/// <summary>A response to dockerd: a status code and a UTF-8 JSON body.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Body">The UTF-8 JSON body.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct PluginResponse(int StatusCode, ReadOnlyMemory<byte> Body);
