using System.ComponentModel;

namespace Mooring.Hosting.Metadata;

/// <summary>Create options as a managed driver needs them: typed for the author, raw for the volume's record (so they
/// can be bound again, by the same generated binder, after a restart or an upgrade).</summary>
/// <typeparam name="TOptions">The driver's options class.</typeparam>
/// <param name="Value">The bound options.</param>
/// <param name="Raw">The <c>-o key=value</c> pairs as given.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record BoundOptions<TOptions>(TOptions Value, IReadOnlyDictionary<string, string> Raw)
    where TOptions : class;
