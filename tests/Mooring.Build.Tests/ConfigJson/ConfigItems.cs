using Mooring.PluginConfiguration;

namespace Mooring.Build.Tests.ConfigJson;

/// <summary>Model entries in one line each, in config.json's key order.</summary>
internal static class ConfigItems
{
    public static PluginConfigEnv Env(string name, string description, IReadOnlyList<string> settable, string? value) =>
        new() { Name = name, Description = description, Settable = settable, Value = value };

    public static PluginConfigMount Mount(string name, string description, string? source, string destination, string type,
        IReadOnlyList<string> options, IReadOnlyList<string> settable) =>
        new() { Name = name, Description = description, Source = source, Destination = destination, Type = type, Options = options, Settable = settable };

    public static PluginConfigDevice Device(string name, string description, string? path, IReadOnlyList<string> settable) =>
        new() { Name = name, Description = description, Path = path, Settable = settable };
}
