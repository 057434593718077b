using Mooring.Oci;
using Mooring.Oci.References;

namespace Mooring.Build.Docker;

/// <summary>Checks plugin names against Docker's reference grammar, as <see cref="ImageReference"/> implements it for the
/// whole SDK, without digests: <c>docker plugin create</c> names a plugin by repository and tag.</summary>
internal static class PluginNames
{
    /// <summary>Returns <paramref name="name"/> when it is a valid plugin reference; throws MOOR1007 otherwise.</summary>
    public static string Validate(string name)
    {
        if (!ImageReference.TryParse(name, out var reference, out var error) || reference.Digest is not null)
        {
            throw new OciException(ErrorCodes.BadPluginName,
                $"PluginName '{name}' is not a valid Docker plugin name: {error ?? "it has a digest, which docker plugin create does not take."} Use lower-case letters, digits and separators (., _, -) in path components separated by '/', optionally a registry host first and a ':tag' last, e.g. 'acme/volumes:1.0'.");
        }

        return name;
    }
}
