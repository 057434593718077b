using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Mooring.Generators.Parsing;

/// <summary>Reads named arguments of an attribute application, with the attribute's own defaults when absent.</summary>
internal static class AttributeArguments
{
    public static string? NamedString(AttributeData? attribute, string name) =>
        attribute?.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

    public static ImmutableArray<string>? NamedStrings(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value is { Kind: TypedConstantKind.Array, IsNull: false } array)
            {
                return array.Values.Select(v => v.Value as string ?? string.Empty).ToImmutableArray();
            }
        }

        return null;
    }

    public static bool NamedArgumentGiven(AttributeData? attribute, string name) =>
        attribute?.NamedArguments.Any(a => a.Key == name) == true;

    public static bool NamedBool(AttributeData? attribute, string name, bool fallback) =>
        attribute?.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is bool value ? value : fallback;
}
