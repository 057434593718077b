namespace Mooring.Hosting;

/// <summary>
/// The option grammar both command lines share (the plugin's own, <see cref="HostCommandLine"/>, and <c>ctl</c>'s,
/// <see cref="Control.ControlCommandLine"/>): <c>--name value</c> or <c>--name=value</c>, and a value is never empty.
/// </summary>
internal static class CommandLineOption
{
    /// <summary><c>--name=value</c> → (<c>--name</c>, <c>value</c>); any other argument → (the argument, null).</summary>
    public static (string Name, string? InlineValue) Split(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
            ? (arg[..eq], arg[(eq + 1)..])
            : (arg, null);

    /// <summary>
    /// The value of option <paramref name="name"/>: its inline value, or else the next argument (which
    /// <paramref name="index"/> then moves past); null with <paramref name="error"/> set when there is none or it is empty.
    /// </summary>
    public static string? TakeValue(string name, string? inlineValue, IReadOnlyList<string> args, ref int index, out string? error)
    {
        var value = inlineValue ?? (index + 1 < args.Count ? args[++index] : null);
        error = string.IsNullOrEmpty(value) ? $"option '{name}' needs a value" : null;
        return error is null ? value : null;
    }
}
