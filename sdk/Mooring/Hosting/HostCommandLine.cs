using Microsoft.Extensions.Logging;
using Mooring.Logging;
using Mooring.Rules;

namespace Mooring.Hosting;

/// <summary>The command line <see cref="VolumePluginHost.RunAsync{TDriver}(string[], CancellationToken)"/> understands.</summary>
/// <remarks>Arguments the host does not know (and everything after <c>--</c>) are passed to the driver through
/// <see cref="PluginContext.Arguments"/>: a plugin's <c>args</c> in config.json are appended to its entrypoint.</remarks>
internal sealed class HostCommandLine
{
    public const string Usage = $$"""
        Usage: <plugin> [options] [-- driver arguments]

        Options:
          --socket PATH       Unix socket to listen on (default: /run/docker/plugins/<socket name>)
          --data-root DIR     Directory under which volumes live (default: the propagated mount)
          --log-level LEVEL   {{LogLevelWords.Listed}}
                              (default: the LOG_LEVEL environment variable, else information)
          --management-socket PATH
                              Management socket (default: beside the plugin socket, <name>.ctl.sock)
          --no-management-socket
                              Do not serve the management socket
          --print-config      Print the plugin manifest (the generated part of config.json) and exit
          -h, --help          Show this help and exit

        Other arguments are passed to the driver.
        """;

    public string? SocketPath { get; private set; }

    public string? DataRoot { get; private set; }

    /// <summary>The level given with <c>--log-level</c>; <see langword="null"/> when absent (then <c>LOG_LEVEL</c> decides).</summary>
    public LogLevel? LogLevel { get; private set; }

    public string? ManagementSocketPath { get; private set; }

    public bool NoManagementSocket { get; private set; }

    public bool PrintConfig { get; private set; }

    public bool Help { get; private set; }

    public List<string> DriverArguments { get; } = [];

    /// <summary>Writes what the command line gave over <paramref name="options"/>: the command line wins over code, the
    /// way .NET configuration orders its sources. What it did not give is left as the code set it.</summary>
    public void ApplyTo(PluginHostOptions options)
    {
        options.SocketPath = SocketPath ?? options.SocketPath;
        options.DataRoot = DataRoot ?? options.DataRoot;
        options.MinimumLogLevel = LogLevel ?? options.MinimumLogLevel;
        options.ManagementSocketPath = ManagementSocketPath ?? options.ManagementSocketPath;
        options.EnableManagementSocket &= !NoManagementSocket;
        if (DriverArguments.Count > 0)
        {
            options.Arguments = DriverArguments;
        }
    }

    /// <summary>Parses <paramref name="args"/>; <paramref name="error"/> explains a bad command line.</summary>
    public static HostCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        var result = new HostCommandLine();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                for (i++; i < args.Count; i++)
                {
                    result.DriverArguments.Add(args[i]);
                }

                break;
            }

            var (name, inlineValue) = CommandLineOption.Split(arg);
            switch (name)
            {
                case "-h" or "--help":
                    result.Help = true;
                    break;
                case "--print-config":
                    result.PrintConfig = true;
                    break;
                case "--no-management-socket":
                    result.NoManagementSocket = true;
                    break;
                case "--socket" or "--data-root" or "--log-level" or "--management-socket":
                    if (CommandLineOption.TakeValue(name, inlineValue, args, ref i, out error) is not { } value)
                    {
                        return null;
                    }

                    if (name == "--socket")
                    {
                        result.SocketPath = value;
                    }
                    else if (name == "--data-root")
                    {
                        result.DataRoot = value;
                    }
                    else if (name == "--management-socket")
                    {
                        result.ManagementSocketPath = value;
                    }
                    else if (LogLevelNames.TryParse(value, out var level))
                    {
                        result.LogLevel = level;
                    }
                    else
                    {
                        error = $"option '--log-level' must be one of {LogLevelNames.Accepted}, got '{value}'";
                        return null;
                    }

                    break;
                default:
                    result.DriverArguments.Add(arg);
                    break;
            }
        }

        return result;
    }
}
