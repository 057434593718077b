using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Picks the driver constructor the generated <c>CreateDriver</c> calls: the accessible one with the most parameters
/// whose every parameter is a service Mooring supplies.
/// </summary>
internal static class ConstructorParser
{
    private const string Supplied = "constructors may take PluginContext, [PluginSettings] classes, ILogger<T>, ILogger and ILoggerFactory";

    public static (ConstructorSpec? Constructor, EquatableArray<SettingsSpec> Settings, IReadOnlyList<INamedTypeSymbol> SettingsTypes) Parse(
        INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var driverName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        List<ConstructorArgument>? best = null;
        List<INamedTypeSymbol>? bestSettings = null;
        string? firstProblem = null;

        foreach (var constructor in type.InstanceConstructors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!MemberParser.IsAccessible(constructor))
            {
                firstProblem ??= $"{Describe(constructor)} is {constructor.DeclaredAccessibility.ToString().ToLowerInvariant()}";
                continue;
            }

            var arguments = new List<ConstructorArgument>();
            var settings = new List<INamedTypeSymbol>();
            string? problem = null;
            foreach (var parameter in constructor.Parameters)
            {
                var argument = Classify(parameter.Type, driverName, known, settings);
                if (argument is null)
                {
                    problem = $"parameter '{parameter.Type.ToDisplayString()} {parameter.Name}' of {Describe(constructor)} is not something Mooring supplies";
                    break;
                }

                arguments.Add(argument);
            }

            if (problem is not null)
            {
                firstProblem ??= problem;
                continue;
            }

            if (best is null || arguments.Count > best.Count)
            {
                best = arguments;
                bestSettings = settings;
            }
        }

        if (type.IsAbstract || type.IsStatic)
        {
            sink.Report(DiagnosticDescriptors.NoUsableConstructor, () => type.Locations.FirstOrDefault(), type.Name, "the class is abstract");
            best = null;
        }
        else if (best is null)
        {
            sink.Report(DiagnosticDescriptors.NoUsableConstructor, () => type.Locations.FirstOrDefault(), type.Name, (firstProblem ?? "it has none") + "; " + Supplied);
        }

        var specs = new List<SettingsSpec>();
        var methodNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var settingsType in bestSettings ?? new List<INamedTypeSymbol>())
        {
            var method = "Bind" + settingsType.Name;
            for (var i = 2; !methodNames.Add(method); i++)
            {
                method = "Bind" + settingsType.Name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            // The settings class reports its own diagnostics (the analyzer visits it on its own), so parse it silently here.
            var constructible = MemberParser.CheckConstructible(settingsType, "Settings", DiagnosticSink.Silent, () => null);
            specs.Add(new SettingsSpec(
                settingsType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                method,
                constructible ? MemberParser.ParseSettings(settingsType, known, DiagnosticSink.Silent, cancellationToken) : EquatableArray<MemberBinding>.Empty,
                constructible));
        }

        if (best is not null)
        {
            // A settings argument carries its type until here; the emitter needs the binder method instead.
            var methods = specs.ToDictionary(s => s.FullyQualifiedName, s => s.MethodName, StringComparer.Ordinal);
            best = best.Select(a => a.Kind == ArgumentKind.Settings ? a with { Detail = methods[a.Detail] } : a).ToList();
        }

        // The settings types go back to the driver parser (never into the model), which checks names it reserves.
        return (best is null ? null : new ConstructorSpec(best.ToEquatableArray()), specs.ToEquatableArray(), bestSettings ?? new List<INamedTypeSymbol>());
    }

    private static ConstructorArgument? Classify(ITypeSymbol type, string driverName, KnownTypes known, List<INamedTypeSymbol> settings)
    {
        if (KnownTypes.Is(type, known.PluginContext))
        {
            return new ConstructorArgument(ArgumentKind.Context, string.Empty);
        }

        if (KnownTypes.Is(type, known.LoggerFactory))
        {
            return new ConstructorArgument(ArgumentKind.LoggerFactory, string.Empty);
        }

        if (KnownTypes.Is(type, known.Logger))
        {
            return new ConstructorArgument(ArgumentKind.Logger, driverName);
        }

        if (type is INamedTypeSymbol named && known.LoggerOfT is not null
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.LoggerOfT))
        {
            return new ConstructorArgument(ArgumentKind.Logger, named.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }

        if (type is INamedTypeSymbol settingsType && KnownTypes.Find(settingsType, known.PluginSettingsAttribute) is not null)
        {
            if (!settings.Contains(settingsType, SymbolEqualityComparer.Default))
            {
                settings.Add(settingsType);
            }

            return new ConstructorArgument(ArgumentKind.Settings, settingsType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }

        return null;
    }

    private static string Describe(IMethodSymbol constructor) =>
        constructor.ContainingType.Name + "(" + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString())) + ")";
}
