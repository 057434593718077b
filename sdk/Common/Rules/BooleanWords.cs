using System;

namespace Mooring.Rules;

/// <summary>
/// The words a <c>bool</c> option or setting accepts: true/false, 1/0, yes/no, on/off, in any case, with surrounding
/// whitespace ignored (what users type in <c>-o</c> and <c>docker plugin set</c>).
/// </summary>
/// <remarks>One source file compiled into the generator (a setting's <c>Default</c>) and the runtime (the values users
/// give), so a default the generator accepts is one the plugin accepts at start-up.</remarks>
internal static class BooleanWords
{
    /// <summary>What a value must be, for messages.</summary>
    public const string Expected = "true or false (or 1/0, yes/no, on/off)";

    private static readonly string[] TrueWords = { "true", "1", "yes", "on" };
    private static readonly string[] FalseWords = { "false", "0", "no", "off" };

    /// <summary>Parses one of the words; <see cref="OptionValueStatus.Malformed"/> for anything else.</summary>
    public static OptionValueStatus Parse(string text, out bool value)
    {
        var word = text.Trim();
        value = Array.Exists(TrueWords, w => string.Equals(w, word, StringComparison.OrdinalIgnoreCase));
        return value || Array.Exists(FalseWords, w => string.Equals(w, word, StringComparison.OrdinalIgnoreCase))
            ? OptionValueStatus.Ok
            : OptionValueStatus.Malformed;
    }
}
