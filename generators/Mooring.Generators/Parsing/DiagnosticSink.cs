using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Where the parser reports problems. The generator parses with a silent sink (its diagnostics come from the
/// analyzer), so no location is computed and nothing location-dependent reaches the generator's cached models.
/// </summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic>? _report;

    private DiagnosticSink(Action<Diagnostic>? report) => _report = report;

    public static DiagnosticSink Silent { get; } = new(null);

    public bool IsSilent => _report is null;

    public static DiagnosticSink To(Action<Diagnostic> report) => new(report);

    public void Report(DiagnosticDescriptor descriptor, Func<Location?> location, params object?[] arguments) =>
        ReportWithProperties(descriptor, location, null, arguments);

    /// <summary>Reports with <see cref="Diagnostic.Properties"/> for a code fix (keys: <see cref="Diagnostics.DiagnosticProperties"/>).</summary>
    public void ReportWithProperties(DiagnosticDescriptor descriptor, Func<Location?> location, ImmutableDictionary<string, string?>? properties, params object?[] arguments)
    {
        if (_report is null)
        {
            return;
        }

        var at = location();
        if (at is not null && !at.IsInSource)
        {
            // The problem lives in a referenced assembly; report it on nothing rather than on metadata.
            at = Location.None;
        }

        _report(Diagnostic.Create(descriptor, at ?? Location.None, properties, arguments));
    }
}
