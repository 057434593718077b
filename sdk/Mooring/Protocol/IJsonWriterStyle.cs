using System.Text.Json;

namespace Mooring.Protocol;

/// <summary>The options of one kind of JSON document the plugin writes, for <see cref="ReusedJsonWriter{TStyle}"/>.</summary>
internal interface IJsonWriterStyle
{
    /// <summary>The writer's options.</summary>
    static abstract JsonWriterOptions Options { get; }
}
