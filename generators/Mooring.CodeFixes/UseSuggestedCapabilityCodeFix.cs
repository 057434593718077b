using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mooring.Generators.Diagnostics;

namespace Mooring.CodeFixes;

/// <summary>
/// MOOR0009: replaces a misspelt capability (<c>"sys_admin"</c>) with the name the analyzer suggests
/// (<c>"CAP_SYS_ADMIN"</c>), carried in <see cref="DiagnosticProperties.SuggestedCapability"/>. Only a string
/// literal is replaced: a constant defined elsewhere is the author's to rename.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedCapabilityCodeFix)), Shared]
public sealed class UseSuggestedCapabilityCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "Mooring.UseSuggestedCapability";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownCapability.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.SuggestedCapability, out var suggestion) || string.IsNullOrEmpty(suggestion)
                || root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(suggestion!))
                .WithTriviaFrom(literal);
            context.RegisterCodeFix(
                CodeAction.Create($"Use '{suggestion}'", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))), EquivalenceKey),
                diagnostic);
        }
    }
}
