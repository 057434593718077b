namespace Mooring.Rules;

/// <summary>
/// Environment variable names a plugin declares in config.json (<c>[PluginEnv]</c>, MOOR0007; <c>PluginEnv</c> items,
/// MOOR1006), and the one the host reads itself.
/// </summary>
/// <remarks>One source file compiled into the generator, the runtime and Mooring.Build (sdk/Common/Rules, like
/// dotnet/runtime's <c>Common/src</c>): one rule, one owner.</remarks>
internal static class EnvNames
{
    /// <summary>The variable the host reads its log level from; every manifest declares it settable unless
    /// <c>[VolumePlugin(LogLevelSetting = false)]</c>, because an installed plugin's entrypoint cannot be edited.</summary>
    public const string LogLevel = "LOG_LEVEL";

    /// <summary>Why <paramref name="name"/> is not a variable name (a phrase such as <c>is empty</c>), or
    /// <see langword="null"/> when it is fine: letters, digits and underscores, not starting with a digit, so that
    /// <c>docker plugin set NAME=value</c> and a shell both read it as one name.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (char.IsDigit(name[0]))
        {
            return "starts with a digit; use letters, digits and underscores, not starting with a digit";
        }

        foreach (var c in name)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
            {
                return "contains '" + c + "'; use letters, digits and underscores, not starting with a digit";
            }
        }

        return null;
    }
}
