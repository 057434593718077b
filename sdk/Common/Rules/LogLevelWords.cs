namespace Mooring.Rules;

/// <summary>
/// How log levels are named to people: in config.json's <c>LOG_LEVEL</c> description (the generator), in the host's
/// and ctl's usage text, and in the runtime's messages about a level it did not understand. The parser that reads them
/// is the runtime's <c>LogLevelNames.TryParse</c> (sdk/Mooring/Logging).
/// </summary>
/// <remarks>One source file compiled into each assembly that needs the rule (sdk/Common/Rules, like dotnet/runtime's
/// <c>Common/src</c>): one rule, one owner.</remarks>
internal static class LogLevelWords
{
    /// <summary>The accepted names, from the most to the least verbose, as one phrase.</summary>
    public const string Listed = "trace, debug, information, warning, error, critical or none";
}
