using Microsoft.CodeAnalysis;

namespace Mooring.Generators.Parsing;

/// <summary>The Mooring and BCL types the parser compares against, looked up once per compilation.</summary>
internal sealed class KnownTypes
{
    /// <summary>The option attribute's metadata name (also what generators/Mooring.CodeFixes matches).</summary>
    public const string VolumeOptionAttributeName = "Mooring.VolumeOptionAttribute";

    /// <summary>The setting attribute's metadata name (also what generators/Mooring.CodeFixes matches).</summary>
    public const string PluginEnvAttributeName = "Mooring.PluginEnvAttribute";

    private KnownTypes(Compilation compilation)
    {
        VolumePluginAttribute = compilation.GetTypeByMetadataName("Mooring.VolumePluginAttribute");
        VolumeDriverOfT = compilation.GetTypeByMetadataName("Mooring.IVolumeDriver`1");
        ManagedVolumeDriverOfT = compilation.GetTypeByMetadataName("Mooring.IManagedVolumeDriver`1");
        UnixFileMode = compilation.GetTypeByMetadataName("System.IO.UnixFileMode");
        VolumeOptionAttribute = compilation.GetTypeByMetadataName(VolumeOptionAttributeName);
        PluginSettingsAttribute = compilation.GetTypeByMetadataName("Mooring.PluginSettingsAttribute");
        PluginEnvAttribute = compilation.GetTypeByMetadataName(PluginEnvAttributeName);
        PluginMountAttribute = compilation.GetTypeByMetadataName("Mooring.PluginMountAttribute");
        PluginDeviceAttribute = compilation.GetTypeByMetadataName("Mooring.PluginDeviceAttribute");
        PluginArgsAttribute = compilation.GetTypeByMetadataName("Mooring.PluginArgsAttribute");
        ByteSize = compilation.GetTypeByMetadataName("Mooring.ByteSize");
        PluginContext = compilation.GetTypeByMetadataName("Mooring.Hosting.PluginContext");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        LoggerOfT = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger`1");
        Logger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        LoggerFactory = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILoggerFactory");
        ManagementOperationAttribute = compilation.GetTypeByMetadataName("Mooring.ManagementOperationAttribute");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        ReadOnlyDictionaryOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
    }

    public INamedTypeSymbol? VolumePluginAttribute { get; }

    public INamedTypeSymbol? VolumeDriverOfT { get; }

    public INamedTypeSymbol? ManagedVolumeDriverOfT { get; }

    public INamedTypeSymbol? UnixFileMode { get; }

    public INamedTypeSymbol? VolumeOptionAttribute { get; }

    public INamedTypeSymbol? PluginSettingsAttribute { get; }

    public INamedTypeSymbol? PluginEnvAttribute { get; }

    public INamedTypeSymbol? PluginMountAttribute { get; }

    public INamedTypeSymbol? PluginDeviceAttribute { get; }

    public INamedTypeSymbol? PluginArgsAttribute { get; }

    public INamedTypeSymbol? ByteSize { get; }

    public INamedTypeSymbol? PluginContext { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? LoggerOfT { get; }

    public INamedTypeSymbol? Logger { get; }

    public INamedTypeSymbol? LoggerFactory { get; }

    public INamedTypeSymbol? ManagementOperationAttribute { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? ReadOnlyDictionaryOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public static KnownTypes Create(Compilation compilation) => new(compilation);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }
}
