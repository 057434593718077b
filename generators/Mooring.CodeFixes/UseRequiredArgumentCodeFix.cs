using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mooring.Generators.Diagnostics;
using Mooring.Generators.Parsing;

namespace Mooring.CodeFixes;

/// <summary>
/// MOOR0004, the <c>required</c> variant (<see cref="DiagnosticProperties.RequiredKeyword"/>): removes the
/// <c>required</c> modifier, which the generated <c>new()</c> cannot satisfy, and sets <c>Required = true</c> on the
/// property's <c>[VolumeOption]</c> or <c>[PluginEnv]</c> attribute, which makes the generated binder refuse a missing value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseRequiredArgumentCodeFix)), Shared]
public sealed class UseRequiredArgumentCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "Mooring.UseRequiredArgument";

    // The attributes whose Required property the generator reads (generators/Mooring.Generators/Parsing/MemberParser.cs).
    private static readonly ImmutableHashSet<string> BindingAttributes = ImmutableHashSet.Create(KnownTypes.VolumeOptionAttributeName, KnownTypes.PluginEnvAttributeName);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnsupportedMember.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(DiagnosticProperties.RequiredKeyword)
                || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
                || !property.Modifiers.Any(SyntaxKind.RequiredKeyword)
                || FindBindingAttribute(property, model, context.CancellationToken) is not { } attribute)
            {
                continue;
            }

            var rewritten = Rewrite(property, attribute, model, context.CancellationToken);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use 'Required = true' instead of the 'required' keyword on '{property.Identifier.ValueText}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(property, rewritten))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static AttributeSyntax? FindBindingAttribute(PropertyDeclarationSyntax property, SemanticModel model, CancellationToken cancellationToken) =>
        property.AttributeLists.SelectMany(list => list.Attributes).FirstOrDefault(attribute =>
            model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType?.ToDisplayString() is { } name && BindingAttributes.Contains(name));

    private static PropertyDeclarationSyntax Rewrite(PropertyDeclarationSyntax property, AttributeSyntax attribute, SemanticModel model, CancellationToken cancellationToken)
    {
        var rewritten = property.ReplaceNode(attribute, WithRequiredTrue(attribute));

        // Remove 'required', keeping the layout: its leading trivia (after the attributes) moves to what follows it.
        var index = rewritten.Modifiers.IndexOf(SyntaxKind.RequiredKeyword);
        var required = rewritten.Modifiers[index];
        var modifiers = rewritten.Modifiers.RemoveAt(index);
        if (index < modifiers.Count)
        {
            modifiers = modifiers.Replace(modifiers[index], modifiers[index].WithLeadingTrivia(required.LeadingTrivia));
            rewritten = rewritten.WithModifiers(modifiers);
        }
        else
        {
            rewritten = rewritten.WithModifiers(modifiers).WithType(rewritten.Type.WithLeadingTrivia(required.LeadingTrivia));
        }

        // Without 'required', a non-nullable reference property with no initializer is CS8618 ("must contain a non-null
        // value when exiting constructor"), an error under -warnaserror. The binder sets it before the driver sees the
        // options (a missing value is now refused), so '= null!' states exactly that.
        if (property.Initializer is null && rewritten.AccessorList is { } accessors
            && model.GetDeclaredSymbol(property, cancellationToken) is { Type: { IsReferenceType: true, NullableAnnotation: NullableAnnotation.NotAnnotated } }
            && (model.GetNullableContext(property.SpanStart) & NullableContext.WarningsEnabled) != 0)
        {
            rewritten = rewritten
                .WithAccessorList(accessors.WithTrailingTrivia(SyntaxTriviaList.Empty))
                .WithInitializer(SyntaxFactory.EqualsValueClause(
                        SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
                        SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression))))
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(accessors.GetTrailingTrivia()));
        }

        return rewritten;
    }

    private static AttributeSyntax WithRequiredTrue(AttributeSyntax attribute)
    {
        var trueLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression);
        var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var existing = arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Required");
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing.Expression, trueLiteral.WithTriviaFrom(existing.Expression));
        }

        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Required"), SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)),
            nameColon: null,
            trueLiteral);
        var comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
        var list = arguments.Arguments.Count == 0
            ? SyntaxFactory.SingletonSeparatedList(argument)
            : SyntaxFactory.SeparatedList(arguments.Arguments.Concat(new[] { argument }), arguments.Arguments.GetSeparators().Concat(new[] { comma }));
        return attribute.WithArgumentList(arguments.WithArguments(list));
    }
}
