using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mooring.Generators.Emitting;
using Mooring.Generators.Helpers;
using Mooring.Generators.Model;
using Mooring.Generators.Parsing;

namespace Mooring.Generators;

/// <summary>
/// Generates, for each <c>[VolumePlugin]</c> class, the <c>IVolumePlugin&lt;TSelf&gt;</c> implementation (descriptor,
/// constructor choice, dispatcher), the option and settings binders, and the plugin manifest. Problems are reported
/// by <see cref="Diagnostics.VolumePluginAnalyzer"/>, which runs the same parser, so this pipeline carries no
/// locations and stays cached across edits that do not change the generated code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class VolumePluginGenerator : IIncrementalGenerator
{
    private const string AttributeName = "Mooring.VolumePluginAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var drivers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (syntax, cancellationToken) => Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Drivers);

        var valid = drivers
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ValidDrivers);

        context.RegisterSourceOutput(valid, static (output, spec) => output.AddSource(spec.HintName, SourceEmitter.Emit(spec)));

        var manifests = valid
            .Select(static (spec, _) => spec.ManifestJson)
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray())
            .WithTrackingName(TrackingNames.Manifests);

        // The assembly carries one manifest; with several drivers MOOR0011 explains why there is none.
        context.RegisterSourceOutput(manifests, static (output, all) =>
        {
            if (all.Count == 1)
            {
                output.AddSource("Mooring.PluginManifest.g.cs", SourceEmitter.EmitManifestAttribute(all[0]));
            }
        });
    }

    private static DriverSpec? Parse(GeneratorAttributeSyntaxContext syntax, CancellationToken cancellationToken)
    {
        if (syntax.TargetSymbol is not INamedTypeSymbol type || syntax.Attributes.Length == 0)
        {
            return null;
        }

        var known = KnownTypes.Create(syntax.SemanticModel.Compilation);
        return DriverParser.Parse(type, syntax.Attributes[0], known, DiagnosticSink.Silent, cancellationToken);
    }
}
