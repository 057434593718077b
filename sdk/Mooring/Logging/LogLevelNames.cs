using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Mooring.Rules;

namespace Mooring.Logging;

/// <summary>The one spelling of log levels the plugin accepts: <c>--log-level</c>, <c>LOG_LEVEL</c> and
/// <c>PUT /log-level</c> all parse with <see cref="TryParse"/>.</summary>
internal static class LogLevelNames
{
    /// <summary>The accepted names, for messages.</summary>
    public const string Accepted = LogLevelWords.Listed;

    /// <summary>The environment variable a plugin's config.json declares settable (<c>docker plugin set X LOG_LEVEL=debug</c>).</summary>
    public const string EnvironmentVariable = EnvNames.LogLevel;

    /// <summary>Parses a level name, case-insensitively; <c>info</c> and <c>warn</c> are accepted too.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out LogLevel level)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "information" or "info": level = LogLevel.Information; return true;
            case "warning" or "warn": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "critical": level = LogLevel.Critical; return true;
            case "none": level = LogLevel.None; return true;
            default: level = default; return false;
        }
    }

    /// <summary>The canonical name of a level (what <c>GET /log-level</c> answers).</summary>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
