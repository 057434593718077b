using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Mooring.Build.Manifest;

/// <summary>
/// Reads the JSON of <c>[assembly: Mooring.PluginManifest("…")]</c> from a compiled assembly with
/// System.Reflection.Metadata: the assembly is never loaded, so the task cannot lock it or run its code.
/// </summary>
internal static class PluginManifestReader
{
    private const string AttributeNamespace = "Mooring";
    private const string AttributeName = "PluginManifestAttribute";

    /// <summary>
    /// Returns the manifest JSON, or null when the assembly has no PluginManifest attribute.
    /// Throws <see cref="BadImageFormatException"/> when the file is not a .NET assembly.
    /// </summary>
    public static string? Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"'{assemblyPath}' is not a .NET assembly (it has no metadata).");
        }

        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsManifestAttribute(reader, attribute.Constructor))
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 0x0001)
            {
                throw new BadImageFormatException($"'{assemblyPath}': the PluginManifest attribute blob has no prolog.");
            }

            return blob.ReadSerializedString();
        }

        return null;
    }

    private static bool IsManifestAttribute(MetadataReader reader, EntityHandle constructor)
    {
        var type = constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
            _ => default,
        };

        return type.Kind switch
        {
            HandleKind.TypeReference => Matches(reader, reader.GetTypeReference((TypeReferenceHandle)type).Namespace,
                reader.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => Matches(reader, reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace,
                reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => false,
        };
    }

    private static bool Matches(MetadataReader reader, StringHandle ns, StringHandle name) =>
        reader.StringComparer.Equals(ns, AttributeNamespace) && reader.StringComparer.Equals(name, AttributeName);
}
