using System.Text.RegularExpressions;

namespace Mooring.Build.Docker;

/// <summary>Checks plugin names against Docker's reference grammar (distribution/reference, without digests).</summary>
internal static partial class PluginNames
{
    /// <summary>Returns <paramref name="name"/> when it is a valid plugin reference; throws MOOR1007 otherwise.</summary>
    public static string Validate(string name)
    {
        if (name.Length is 0 or > 255 || !Reference().IsMatch(name))
        {
            throw new PluginBuildException(ErrorCodes.BadPluginName,
                $"PluginName '{name}' is not a valid Docker plugin name. Use lower-case letters, digits and separators (., _, -) in path components separated by '/', optionally a registry host first and a ':tag' last, e.g. 'acme/volumes:1.0'.");
        }

        return name;
    }

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$")]
    private static partial Regex Reference();
}
