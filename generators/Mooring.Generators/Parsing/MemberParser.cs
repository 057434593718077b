using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.Rules;

namespace Mooring.Generators.Parsing;

/// <summary>Reads the bindable properties of an options class and of a [PluginSettings] class.</summary>
internal static class MemberParser
{
    private const string SupportedTypes = "string, int, long, bool, an enum, TimeSpan, ByteSize, UnixFileMode or their nullable forms";

    /// <summary>The options properties: every public settable instance property, under its [VolumeOption] name or its
    /// lower-cased property name, ordered by key. A management operation's arguments class is bound the same way, with
    /// <paramref name="role"/> <c>Argument</c> in the messages.</summary>
    public static EquatableArray<MemberBinding> ParseOptions(INamedTypeSymbol options, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken, string role = "Option")
    {
        var bindings = new List<MemberBinding>();
        var byKey = new Dictionary<string, IPropertySymbol>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in Properties(options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = KnownTypes.Find(property, known.VolumeOptionAttribute);
            if (attribute is null && !IsPublicSettable(property))
            {
                // Computed or internal properties are not options unless the author says so.
                continue;
            }

            var key = attribute?.ConstructorArguments.FirstOrDefault().Value as string
                ?? property.Name.ToLowerInvariant();
            if (key.Length == 0 || key.Any(c => c == '=' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                sink.Report(DiagnosticDescriptors.UnsupportedMember, () => attribute is null ? property.Locations.FirstOrDefault() : AttributeLocations.Positional(attribute, 0, cancellationToken),
                    $"{role} name '{key}' of property '{property.Name}' must be non-empty and contain no '=', whitespace or control characters");
                continue;
            }

            if (!CheckSettable(property, role, sink, cancellationToken)
                || !TryClassify(property, known, role, sink, cancellationToken, out var kind, out var enumType, out var enumMembers))
            {
                continue;
            }

            if (byKey.TryGetValue(key, out var first))
            {
                sink.Report(DiagnosticDescriptors.DuplicateOption, () => attribute is null ? property.Locations.FirstOrDefault() : AttributeLocations.Positional(attribute, 0, cancellationToken),
                    key, options.Name, first.Name);
                continue;
            }

            byKey.Add(key, property);
            bindings.Add(new MemberBinding(
                property.Name,
                key,
                kind,
                enumType,
                enumMembers,
                Required: AttributeArguments.NamedBool(attribute, "Required", false),
                Default: null,
                Description: AttributeArguments.NamedString(attribute, "Description") ?? string.Empty,
                Settable: false));
        }

        return bindings.OrderBy(b => b.Key.ToLowerInvariant(), StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>The [PluginEnv] properties of a settings class, in declaration order.</summary>
    public static EquatableArray<MemberBinding> ParseSettings(INamedTypeSymbol settings, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var bindings = new List<MemberBinding>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in Properties(settings))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = KnownTypes.Find(property, known.PluginEnvAttribute);
            if (attribute is null)
            {
                continue;
            }

            var name = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var problem = EnvNames.Problem(name);
            if (problem is null && !names.Add(name))
            {
                problem = "is used by more than one setting";
            }

            if (problem is not null)
            {
                sink.Report(DiagnosticDescriptors.InvalidEnvName, () => AttributeLocations.Positional(attribute, 0, cancellationToken), name, problem);
                continue;
            }

            if (!CheckSettable(property, "Setting", sink, cancellationToken)
                || !TryClassify(property, known, "Setting", sink, cancellationToken, out var kind, out var enumType, out var enumMembers))
            {
                continue;
            }

            var defaultValue = AttributeArguments.NamedString(attribute, "Default");
            if (!string.IsNullOrEmpty(defaultValue) && DefaultProblem(defaultValue!, kind, enumMembers) is { } defaultProblem)
            {
                sink.Report(DiagnosticDescriptors.UnsupportedMember, () => AttributeLocations.Named(attribute, "Default", cancellationToken),
                    $"Default '{defaultValue}' of setting '{name}' {defaultProblem}; the plugin would fail at start-up");
            }

            bindings.Add(new MemberBinding(
                property.Name,
                name,
                kind,
                enumType,
                enumMembers,
                Required: AttributeArguments.NamedBool(attribute, "Required", false),
                Default: defaultValue,
                Description: AttributeArguments.NamedString(attribute, "Description") ?? string.Empty,
                Settable: AttributeArguments.NamedBool(attribute, "Settable", true)));
        }

        return bindings.ToEquatableArray();
    }

    /// <summary>Whether the generated binder can write <c>new T()</c>; reports MOOR0004 when not.</summary>
    public static bool CheckConstructible(INamedTypeSymbol type, string role, DiagnosticSink sink, Func<Location?> location)
    {
        var ok = type.TypeKind == TypeKind.Class
            && !type.IsAbstract
            && !type.IsStatic
            && type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && IsAccessible(c));
        if (!ok)
        {
            sink.Report(DiagnosticDescriptors.UnsupportedMember, location,
                $"{role} class '{type.Name}' must be a non-abstract class with a public parameterless constructor");
        }

        return ok;
    }

    /// <summary>Checks a setting's default with the grammar the runtime parses it with (sdk/Common/Rules), so a default
    /// accepted here never fails the plugin at start-up; null when it is fine, else a phrase such as <c>is not ...</c>.</summary>
    internal static string? DefaultProblem(string value, ValueKind kind, EquatableArray<string> enumMembers)
    {
        var status = kind switch
        {
            ValueKind.Int32 => IntegerGrammar.ParseInt32(value, out _),
            ValueKind.Int64 => IntegerGrammar.ParseInt64(value, out _),
            ValueKind.Boolean => BooleanWords.Parse(value, out _),
            ValueKind.TimeSpan => DurationGrammar.Parse(value, out _),
            ValueKind.ByteSize => ByteSizeGrammar.Parse(value, out _),
            ValueKind.UnixFileMode => FileModeGrammar.Parse(value, out _),
            _ => OptionValueStatus.Ok,
        };
        if (status != OptionValueStatus.Ok && kind is ValueKind.Int32 or ValueKind.Int64)
        {
            return kind == ValueKind.Int32 ? "is not a 32-bit whole number" : "is not a 64-bit whole number";
        }

        switch (status)
        {
            case OptionValueStatus.Malformed:
                return "is not " + (kind switch
                {
                    ValueKind.Boolean => BooleanWords.Expected,
                    ValueKind.TimeSpan => DurationGrammar.Expected,
                    ValueKind.ByteSize => ByteSizeGrammar.Expected,
                    _ => FileModeGrammar.Expected,
                });
            case OptionValueStatus.Negative:
                return "is negative";
            case OptionValueStatus.Overflow:
                return kind == ValueKind.UnixFileMode ? "is above 07777" : "is too large";
        }

        // Enum names are generated into the binder (SourceEmitter), matched without regard to case.
        return kind == ValueKind.Enum && !enumMembers.Any(m => string.Equals(m, value, StringComparison.OrdinalIgnoreCase))
            ? "is not one of " + string.Join(", ", enumMembers.Select(m => m.ToLowerInvariant()))
            : null;
    }

    public static bool IsAccessible(ISymbol symbol) =>
        symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static bool IsPublicSettable(IPropertySymbol property) =>
        property.DeclaredAccessibility == Accessibility.Public
        && property.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false }
        && !property.IsRequired;

    private static bool CheckSettable(IPropertySymbol property, string role, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        if (IsPublicSettable(property))
        {
            return true;
        }

        var why = property.IsRequired
            ? "uses the 'required' keyword, which the generated 'new()' cannot satisfy; mark it Required in the attribute instead"
            : "must be public with a public set accessor (not init)";
        var properties = property.IsRequired ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.RequiredKeyword, "true") : null;
        sink.ReportWithProperties(DiagnosticDescriptors.UnsupportedMember, () => property.Locations.FirstOrDefault(), properties,
            $"{role} property '{property.ContainingType.Name}.{property.Name}' {why}");
        return false;
    }

    private static bool TryClassify(
        IPropertySymbol property,
        KnownTypes known,
        string role,
        DiagnosticSink sink,
        CancellationToken cancellationToken,
        out ValueKind kind,
        out string enumType,
        out EquatableArray<string> enumMembers)
    {
        enumType = string.Empty;
        enumMembers = EquatableArray<string>.Empty;
        var type = property.Type;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String: kind = ValueKind.String; return true;
            case SpecialType.System_Int32: kind = ValueKind.Int32; return true;
            case SpecialType.System_Int64: kind = ValueKind.Int64; return true;
            case SpecialType.System_Boolean: kind = ValueKind.Boolean; return true;
        }

        if (KnownTypes.Is(type, known.TimeSpan))
        {
            kind = ValueKind.TimeSpan;
            return true;
        }

        if (KnownTypes.Is(type, known.ByteSize))
        {
            kind = ValueKind.ByteSize;
            return true;
        }

        // Before the enum rule: permissions are written in octal (0750), not as UnixFileMode member names.
        if (KnownTypes.Is(type, known.UnixFileMode))
        {
            kind = ValueKind.UnixFileMode;
            return true;
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumSymbol)
        {
            kind = ValueKind.Enum;
            enumType = enumSymbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            enumMembers = enumSymbol.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue)
                .Select(f => f.Name)
                .ToEquatableArray();
            return true;
        }

        kind = default;
        sink.Report(DiagnosticDescriptors.UnsupportedMember, () => TypeLocation(property, cancellationToken),
            $"{role} property '{property.ContainingType.Name}.{property.Name}' has type '{property.Type.ToDisplayString()}', which cannot be bound; use {SupportedTypes}");
        return false;
    }

    private static Location? TypeLocation(IPropertySymbol property, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax declaration)
            {
                return declaration.Type.GetLocation();
            }
        }

        return property.Locations.FirstOrDefault();
    }

    /// <summary>Instance properties of the type and its bases (most derived first, overrides once).</summary>
    private static IEnumerable<IPropertySymbol> Properties(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property && seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }
}
