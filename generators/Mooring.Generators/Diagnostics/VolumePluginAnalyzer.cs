using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mooring.Generators.Parsing;

namespace Mooring.Generators.Diagnostics;

/// <summary>
/// Reports every MOOR0001–MOOR0016 problem, live in the IDE and on build, by running the generator's own parser
/// over <c>[VolumePlugin]</c> and <c>[PluginSettings]</c> classes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VolumePluginAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.NoDriverInterface,
        DiagnosticDescriptors.DuplicateOption,
        DiagnosticDescriptors.UnsupportedMember,
        DiagnosticDescriptors.InvalidSocket,
        DiagnosticDescriptors.InvalidPropagatedMount,
        DiagnosticDescriptors.InvalidEnvName,
        DiagnosticDescriptors.SettableMount,
        DiagnosticDescriptors.UnknownCapability,
        DiagnosticDescriptors.NoUsableConstructor,
        DiagnosticDescriptors.MultipleDrivers,
        DiagnosticDescriptors.SettableDevice,
        DiagnosticDescriptors.ManagedOperationNotCalled,
        DiagnosticDescriptors.InvalidOperationName,
        DiagnosticDescriptors.DuplicateOperation,
        DiagnosticDescriptors.OperationShape);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownTypes.Create(start.Compilation);
            if (known.VolumePluginAttribute is null)
            {
                return;
            }

            // Every driver of the assembly, found once per compilation and only if some type is a driver.
            var drivers = new Lazy<ImmutableArray<INamedTypeSymbol>>(
                () => FindDrivers(start.Compilation.Assembly.GlobalNamespace, known, start.CancellationToken),
                LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(symbol => Analyze(symbol, known, drivers), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownTypes known, Lazy<ImmutableArray<INamedTypeSymbol>> drivers)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var sink = DiagnosticSink.To(context.ReportDiagnostic);
        var cancellationToken = context.CancellationToken;

        if (KnownTypes.Find(type, known.VolumePluginAttribute) is { } attribute)
        {
            DriverParser.Parse(type, attribute, known, sink, cancellationToken);
            if (drivers.Value.Length > 1)
            {
                var names = string.Join(", ", drivers.Value.Select(d => d.ToDisplayString()).OrderBy(n => n, StringComparer.Ordinal));
                sink.Report(DiagnosticDescriptors.MultipleDrivers, () => AttributeLocations.Of(attribute, cancellationToken), names);
            }
        }

        if (KnownTypes.Find(type, known.PluginSettingsAttribute) is not null
            && MemberParser.CheckConstructible(type, "Settings", sink, () => type.Locations.FirstOrDefault()))
        {
            MemberParser.ParseSettings(type, known, sink, cancellationToken);
        }
    }

    private static ImmutableArray<INamedTypeSymbol> FindDrivers(INamespaceSymbol root, KnownTypes known, CancellationToken cancellationToken)
    {
        var found = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = pending.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetMembers())
                {
                    pending.Push(member);
                }

                continue;
            }

            var type = (INamedTypeSymbol)current;
            if (KnownTypes.Find(type, known.VolumePluginAttribute) is not null)
            {
                found.Add(type);
            }

            foreach (var nested in type.GetTypeMembers())
            {
                pending.Push(nested);
            }
        }

        return found.ToImmutable();
    }
}
