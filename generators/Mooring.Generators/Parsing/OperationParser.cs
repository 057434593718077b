using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;

namespace Mooring.Generators.Parsing;

/// <summary>
/// Finds the driver's <c>[ManagementOperation]</c> methods, checks their names (MOOR0014, MOOR0015) and shapes
/// (MOOR0016), and reads their arguments classes with the options parser (MOOR0003, MOOR0004), so an argument binds
/// exactly like a <c>-o</c> option. Only operations that can be called make it into the model; the analyzer says why
/// the others do not.
/// </summary>
internal static class OperationParser
{
    public const int MaxNameLength = 40;

    /// <summary>Parses the operations declared on <paramref name="type"/> itself, ordered by name.</summary>
    /// <param name="type">The driver class.</param>
    /// <param name="known">The known types.</param>
    /// <param name="usedBinderNames">Binder method names already taken (options, settings); operation binders avoid them.</param>
    /// <param name="sink">Where problems go.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    public static EquatableArray<OperationSpec> Parse(INamedTypeSymbol type, KnownTypes known, ISet<string> usedBinderNames, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        if (known.ManagementOperationAttribute is null)
        {
            return EquatableArray<OperationSpec>.Empty;
        }

        var operations = new List<OperationSpec>();
        var byName = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        // An arguments class shared by several operations is parsed (and diagnosed) once.
        var argumentsByType = new Dictionary<ITypeSymbol, OptionsSpec?>(SymbolEqualityComparer.Default);
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = KnownTypes.Find(method, known.ManagementOperationAttribute);
            if (attribute is null)
            {
                continue;
            }

            var name = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var valid = true;
            if (NameProblem(name) is { } problem)
            {
                sink.Report(DiagnosticDescriptors.InvalidOperationName, () => AttributeLocations.Positional(attribute, 0, cancellationToken), name, problem);
                valid = false;
            }
            else if (byName.TryGetValue(name, out var first))
            {
                sink.Report(DiagnosticDescriptors.DuplicateOperation, () => AttributeLocations.Positional(attribute, 0, cancellationToken), name, first.Name);
                valid = false;
            }
            else
            {
                byName.Add(name, method);
            }

            if (ShapeProblem(method, known, out var takesVolume, out var argumentsType) is { } shape)
            {
                var symbol = method;
                sink.Report(DiagnosticDescriptors.OperationShape, () => symbol.Locations.FirstOrDefault(), method.Name, shape);
                continue;
            }

            if (!argumentsByType.TryGetValue(argumentsType!, out var arguments))
            {
                arguments = ParseArguments(argumentsType!, method, known, sink, cancellationToken);
                argumentsByType.Add(argumentsType!, arguments);
            }

            if (!valid || arguments is null)
            {
                continue;
            }

            operations.Add(new OperationSpec(
                name,
                AttributeArguments.NamedString(attribute, "Description") ?? string.Empty,
                DriverParser.Identifier(method.Name),
                takesVolume,
                BinderName(name, usedBinderNames),
                arguments));
        }

        return operations.OrderBy(o => o.Name, StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>Why a name cannot be an operation's, or null. Names are one URL path segment and a ctl subcommand
    /// argument: lower-case letters, digits and dashes, starting with a letter, at most 40 characters.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty; use lower-case letters, digits and dashes, starting with a letter";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long; keep it within {MaxNameLength}";
        }

        if (name[0] is < 'a' or > 'z')
        {
            return "must start with a lower-case letter";
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return "contains '" + c + "'; use lower-case letters, digits and dashes";
            }
        }

        return null;
    }

    private static string? ShapeProblem(IMethodSymbol method, KnownTypes known, out bool takesVolume, out INamedTypeSymbol? argumentsType)
    {
        takesVolume = false;
        argumentsType = null;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return "it is not an ordinary method";
        }

        if (method.IsStatic)
        {
            return "it is static; an operation runs on the driver instance";
        }

        if (method.IsGenericMethod)
        {
            return "it is generic; the generated dispatcher needs a concrete arguments class";
        }

        if (!MemberParser.IsAccessible(method))
        {
            return $"it is {Accessibility(method)}; make it public or internal";
        }

        if (!IsResultTask(method.ReturnType, known))
        {
            return $"it returns '{method.ReturnType.ToDisplayString()}'";
        }

        var parameters = method.Parameters;
        if (parameters.Length is not (2 or 3))
        {
            return $"it takes {parameters.Length} parameter{(parameters.Length == 1 ? string.Empty : "s")}";
        }

        foreach (var parameter in parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                return $"parameter '{parameter.Name}' is {(parameter.IsParams ? "params" : parameter.RefKind.ToString().ToLowerInvariant())}";
            }
        }

        takesVolume = parameters.Length == 3;
        if (takesVolume && parameters[0].Type.SpecialType != SpecialType.System_String)
        {
            return $"its first parameter '{parameters[0].Name}' is '{parameters[0].Type.ToDisplayString()}', not the volume name (string)";
        }

        var last = parameters[parameters.Length - 1];
        if (!KnownTypes.Is(last.Type, known.CancellationToken))
        {
            return $"its last parameter '{last.Name}' is '{last.Type.ToDisplayString()}', not CancellationToken";
        }

        var arguments = parameters[parameters.Length - 2];
        if (arguments.Type is not INamedTypeSymbol named || arguments.Type.SpecialType == SpecialType.System_String)
        {
            return $"its arguments parameter '{arguments.Name}' is '{arguments.Type.ToDisplayString()}', not a class of arguments (NoOptions for none)";
        }

        argumentsType = named;
        return null;
    }

    // ValueTask<IReadOnlyDictionary<string, string>?>, with or without the nullable annotation.
    private static bool IsResultTask(ITypeSymbol type, KnownTypes known) =>
        type is INamedTypeSymbol task
        && known.ValueTaskOfT is not null
        && SymbolEqualityComparer.Default.Equals(task.OriginalDefinition, known.ValueTaskOfT)
        && task.TypeArguments[0] is INamedTypeSymbol dictionary
        && known.ReadOnlyDictionaryOfT is not null
        && SymbolEqualityComparer.Default.Equals(dictionary.OriginalDefinition, known.ReadOnlyDictionaryOfT)
        && dictionary.TypeArguments.All(t => t.SpecialType == SpecialType.System_String);

    private static OptionsSpec? ParseArguments(INamedTypeSymbol argumentsType, IMethodSymbol method, KnownTypes known, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var fullName = argumentsType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (argumentsType.ToDisplayString() == "Mooring.NoOptions")
        {
            return new OptionsSpec(fullName, EquatableArray<MemberBinding>.Empty);
        }

        if (!MemberParser.CheckConstructible(argumentsType, "Arguments", sink, () => argumentsType.Locations.FirstOrDefault(l => l.IsInSource) ?? method.Locations.FirstOrDefault()))
        {
            return null;
        }

        return new OptionsSpec(fullName, MemberParser.ParseOptions(argumentsType, known, sink, cancellationToken, role: "Argument"));
    }

    // "deep-clean" → BindDeepCleanArguments; a clash with another binder ("a-b" and "a--b") gets a number.
    private static string BinderName(string operation, ISet<string> used)
    {
        var pascal = new StringBuilder();
        var upper = true;
        foreach (var c in operation)
        {
            if (c == '-')
            {
                upper = true;
                continue;
            }

            pascal.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        var name = "Bind" + pascal + "Arguments";
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static string Accessibility(ISymbol symbol) => symbol.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => symbol.DeclaredAccessibility.ToString().ToLowerInvariant(),
    };
}
