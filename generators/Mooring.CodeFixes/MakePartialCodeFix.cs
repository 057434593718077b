using System.Collections.Generic;
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

namespace Mooring.CodeFixes;

/// <summary>
/// MOOR0001: adds <c>partial</c> to the driver class and to every type it is nested in, since the generator needs
/// the whole chain to be partial to add members to a nested driver.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "Mooring.MakePartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotPartial.Id);

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
            // The analyzer reports on the type's identifier; anything else (e.g. a location in metadata) is not ours to edit.
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration
                || declaration.Identifier.Span != diagnostic.Location.SourceSpan)
            {
                continue;
            }

            var chain = Chain(declaration, model, context.CancellationToken);
            if (chain.Count == 0)
            {
                continue;
            }

            var title = "Make " + string.Join(", ", chain.Select(d => $"'{d.Identifier.ValueText}'")) + " partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => Task.FromResult(context.Document.WithSyntaxRoot(AddPartial(root, chain))), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The declarations to make partial: the driver classes in <paramref name="declaration"/> (itself, or nested in it
    /// when the diagnostic is on an enclosing type) and every type they are nested in, so one fix clears every MOOR0001
    /// of that driver whichever of them the user picked.
    /// </summary>
    private static List<TypeDeclarationSyntax> Chain(TypeDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        var drivers = declaration.DescendantNodesAndSelf().OfType<TypeDeclarationSyntax>()
            .Where(d => model.GetDeclaredSymbol(d, cancellationToken)?.GetAttributes()
                .Any(a => a.AttributeClass?.ToDisplayString() == "Mooring.VolumePluginAttribute") == true)
            .DefaultIfEmpty(declaration);
        return drivers
            .SelectMany(d => d.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
            .Distinct()
            .Where(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToList();
    }

    private static SyntaxNode AddPartial(SyntaxNode root, IReadOnlyCollection<TypeDeclarationSyntax> declarations) =>
        // ReplaceNodes hands an enclosing type its already-rewritten nested types, so one pass covers the whole chain.
        root.ReplaceNodes(declarations, (_, rewritten) => AddPartial(rewritten));

    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return declaration;
        }

        // 'partial' must come last, right before the keyword (CS0267). With no modifiers it takes over the keyword's
        // leading trivia (the indentation after the attributes), so the layout does not change.
        if (declaration.Modifiers.Count == 0)
        {
            var keyword = declaration.Keyword;
            var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration.WithKeyword(keyword.WithLeadingTrivia(SyntaxTriviaList.Empty)).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return declaration.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
    }
}
