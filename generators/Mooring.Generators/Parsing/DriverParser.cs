using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.PluginConfiguration;
using Mooring.Rules;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Turns a [VolumePlugin] class into a <see cref="DriverSpec"/>. Shared by the generator (silent) and the analyzer
/// (reporting), so what is generated and what is diagnosed never disagree.
/// </summary>
internal static class DriverParser
{
    /// <summary>Parses the driver; null when no code can be generated for it (the analyzer says why).</summary>
    public static DriverSpec? Parse(INamedTypeSymbol type, AttributeData attribute, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var canGenerate = CheckPartial(type, sink, cancellationToken);
        var options = ParseOptionsType(type, known, sink, cancellationToken, out var managed);
        canGenerate &= options is not null;

        var socket = AttributeArguments.NamedString(attribute, "Socket") ?? SocketNames.DefaultFor(type.Name);
        if (SocketNames.Problem(socket) is { } socketProblem)
        {
            sink.Report(DiagnosticDescriptors.InvalidSocket, () => AttributeLocations.Named(attribute, "Socket", cancellationToken), socket, socketProblem);
        }

        var propagatedMount = attribute.NamedArguments.Any(a => a.Key == "PropagatedMount")
            ? AttributeArguments.NamedString(attribute, "PropagatedMount") ?? string.Empty
            : PluginConfigDefaults.PropagatedMount;
        if (PluginPaths.PropagatedMountProblem(propagatedMount) is { } mountProblem)
        {
            sink.Report(DiagnosticDescriptors.InvalidPropagatedMount, () => AttributeLocations.Named(attribute, "PropagatedMount", cancellationToken), propagatedMount, mountProblem);
        }

        var capabilities = AttributeArguments.NamedStrings(attribute, "LinuxCapabilities") ?? ImmutableArray<string>.Empty;
        for (var i = 0; i < capabilities.Length; i++)
        {
            var capability = capabilities[i];
            if (!LinuxCapabilities.IsKnown(capability))
            {
                var index = i;
                var properties = LinuxCapabilities.Suggest(capability) is { } suggestion
                    ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.SuggestedCapability, suggestion)
                    : null;
                sink.ReportWithProperties(DiagnosticDescriptors.UnknownCapability, () => AttributeLocations.NamedElement(attribute, "LinuxCapabilities", index, cancellationToken),
                    properties, capability, LinuxCapabilities.Hint(capability));
            }
        }

        var (constructor, settings, settingsTypes) = ConstructorParser.Parse(type, known, sink, cancellationToken);
        var logLevelSetting = AttributeArguments.NamedBool(attribute, "LogLevelSetting", true);
        ManifestParser.CheckReservedEnv(settingsTypes, logLevelSetting, known, sink, cancellationToken);

        var manifest = ManifestParser.Build(type, attribute, known, socket, propagatedMount, capabilities, settings, sink, cancellationToken);

        var binderNames = new HashSet<string>(settings.Select(s => s.MethodName), StringComparer.Ordinal) { "BindOptions" };
        var operations = OperationParser.Parse(type, known, binderNames, sink, cancellationToken);

        if (!canGenerate || options is null)
        {
            return null;
        }

        var containing = new List<TypeHeader>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, Header(outer));
        }

        return new DriverSpec(
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            containing.ToEquatableArray(),
            Header(type),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            HintName(type),
            manifest,
            socket,
            propagatedMount,
            options,
            constructor,
            settings,
            managed,
            operations);
    }

    private static bool CheckPartial(INamedTypeSymbol type, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var ok = true;
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var symbol = current;
            var isPartial = symbol.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                ok = false;
                sink.Report(DiagnosticDescriptors.NotPartial, () => symbol.Locations.FirstOrDefault(), symbol.Name);
            }
        }

        return ok;
    }

    private static OptionsSpec? ParseOptionsType(INamedTypeSymbol type, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken, out bool managed)
    {
        var lowLevel = Implementations(type, known.VolumeDriverOfT);
        var highLevel = Implementations(type, known.ManagedVolumeDriverOfT);
        managed = highLevel.Count > 0;
        var implemented = managed ? highLevel : lowLevel;
        if (implemented.Count != 1 || (lowLevel.Count > 0 && highLevel.Count > 0))
        {
            var why = (lowLevel.Count, highLevel.Count) switch
            {
                (0, 0) => "implements neither IManagedVolumeDriver<TOptions> (Mooring keeps the volumes' state) nor IVolumeDriver<TOptions> (full control); use NoOptions for a driver without options",
                ( > 0, > 0) => "implements both IManagedVolumeDriver<TOptions> and IVolumeDriver<TOptions>; pick one model: Mooring would answer the requests the low-level methods expect to handle",
                _ => "implements " + (managed ? "IManagedVolumeDriver" : "IVolumeDriver") + "<TOptions> more than once (" + string.Join(", ", implemented.Select(i => i.TypeArguments[0].Name)) + "); keep one options type",
            };
            sink.Report(DiagnosticDescriptors.NoDriverInterface, () => type.Locations.FirstOrDefault(), type.Name, why);
            return null;
        }

        if (managed)
        {
            CheckManagedMembers(type, sink);
        }

        var optionsType = implemented[0].TypeArguments[0] as INamedTypeSymbol;
        if (optionsType is null)
        {
            sink.Report(DiagnosticDescriptors.UnsupportedMember, () => type.Locations.FirstOrDefault(),
                $"The options type of '{type.Name}' must be a concrete class, not '{implemented[0].TypeArguments[0].ToDisplayString()}'");
            return null;
        }

        var fullName = optionsType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (optionsType.ToDisplayString() == "Mooring.NoOptions")
        {
            return new OptionsSpec(fullName, EquatableArray<MemberBinding>.Empty);
        }

        if (!MemberParser.CheckConstructible(optionsType, "Options", sink, () => optionsType.Locations.FirstOrDefault(l => l.IsInSource) ?? type.Locations.FirstOrDefault()))
        {
            return null;
        }

        return new OptionsSpec(fullName, MemberParser.ParseOptions(optionsType, known, sink, cancellationToken));
    }

    private static List<INamedTypeSymbol> Implementations(INamedTypeSymbol type, INamedTypeSymbol? generic) =>
        generic is null
            ? new List<INamedTypeSymbol>()
            : type.AllInterfaces.Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, generic)).ToList();

    /// <summary>
    /// MOOR0013: the low-level operations an author may carry over from an IVolumeDriver, expecting them to be called.
    /// A managed driver's requests are answered by Mooring, which calls the hooks of IManagedVolumeDriver instead.
    /// </summary>
    private static void CheckManagedMembers(INamedTypeSymbol type, DiagnosticSink sink)
    {
        foreach (var member in type.GetMembers().OfType<IMethodSymbol>())
        {
            var hint = member.Name switch
            {
                "CreateAsync" => ("Create", "put the work in ProvisionAsync"),
                "RemoveAsync" => ("Remove", "put the work in DestroyAsync"),
                "MountAsync" => ("Mount", "put the work in AttachAsync, which runs on the first mount"),
                "UnmountAsync" => ("Unmount", "put the work in DetachAsync, which runs after the last unmount"),
                "GetAsync" or "ListAsync" or "PathAsync" => (member.Name.Substring(0, member.Name.Length - 5), "report extra facts from DescribeStatus"),
                "CapabilitiesAsync" => ("Capabilities", "override the Scope property"),
                _ => default,
            };
            if (hint.Item1 is not null && member.MethodKind == MethodKind.Ordinary)
            {
                var method = member;
                sink.Report(DiagnosticDescriptors.ManagedOperationNotCalled, () => method.Locations.FirstOrDefault(), type.Name, method.Name, hint.Item1, hint.Item2);
            }
        }
    }

    private static TypeHeader Header(INamedTypeSymbol type)
    {
        var keyword = (type.IsRecord, type.TypeKind) switch
        {
            (true, TypeKind.Struct) => "record struct",
            (true, _) => "record",
            (_, TypeKind.Struct) => "struct",
            (_, TypeKind.Interface) => "interface",
            _ => "class",
        };
        var name = Identifier(type.Name);
        if (type.TypeParameters.Length > 0)
        {
            name += "<" + string.Join(", ", type.TypeParameters.Select(p => Identifier(p.Name))) + ">";
        }

        return new TypeHeader(keyword, name);
    }

    private static string HintName(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
        return name.Replace('<', '{').Replace('>', '}').Replace(" ", string.Empty) + ".Mooring.g.cs";
    }

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
