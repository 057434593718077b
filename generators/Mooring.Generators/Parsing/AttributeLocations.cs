using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mooring.Generators.Parsing;

/// <summary>Finds where in the user's source an attribute argument was written, so errors point at it.</summary>
internal static class AttributeLocations
{
    public static Location? Of(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    public static Location? Named(AttributeData attribute, string name, CancellationToken cancellationToken) =>
        NamedExpression(attribute, name, cancellationToken)?.GetLocation() ?? Of(attribute, cancellationToken);

    public static Location? Positional(AttributeData attribute, int index, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } list })
        {
            var position = 0;
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }

                if (position++ == index)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return Of(attribute, cancellationToken);
    }

    /// <summary>The location of element <paramref name="index"/> of an array-valued named argument.</summary>
    public static Location? NamedElement(AttributeData attribute, string name, int index, CancellationToken cancellationToken)
    {
        var expression = NamedExpression(attribute, name, cancellationToken);
        SyntaxNode? element = expression switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } init } when index < init.Expressions.Count => init.Expressions[index],
            ImplicitArrayCreationExpressionSyntax { Initializer: { } init } when index < init.Expressions.Count => init.Expressions[index],
            CollectionExpressionSyntax collection when index < collection.Elements.Count => collection.Elements[index],
            _ => null,
        };
        return element?.GetLocation() ?? expression?.GetLocation() ?? Of(attribute, cancellationToken);
    }

    private static ExpressionSyntax? NamedExpression(AttributeData attribute, string name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } list })
        {
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.Expression;
                }
            }
        }

        return null;
    }
}
