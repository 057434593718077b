using System.Globalization;
using Mooring.Rules;

namespace Mooring.Hosting.Control;

/// <summary>The command line of <c>&lt;plugin&gt; ctl</c> (everything after <c>ctl</c>).</summary>
internal sealed class ControlCommandLine
{
    public const string Usage = $$"""
        Usage: <plugin> ctl [options] <command>

        Talks to a running plugin's management socket (root only).

        Commands:
          health                      Starting or ready, version, uptime
          volumes                     Volumes, their options, mount IDs and counts; state that could not be read
          reconcile                   Check recorded mounts against the host's mount table now
          forget VOLUME [ID]          Drop a mount ID (or all of the volume's mounts) after dockerd crashed
          prepare-downgrade           Write the state back for a plugin version without the state log (before
                                      2026-12-02), then refuse changes until the plugin restarts
          log-level [LEVEL]           Show, or set: {{LogLevelWords.Listed}}
          metrics                     Prometheus text format
          operations                  The driver's own operations and their arguments
          op NAME [--volume V] [key=value ...]
                                      Run a driver operation

        Options:
          --plugin NAME|ID            The plugin: its name, alias (with or without :latest), or an ID prefix (4+ chars).
                                      Default: the one enabled plugin that uses this binary's socket name
          --socket PATH               The management socket itself (skips Docker)
          --docker-host URL           Docker API socket, unix:///path (default: DOCKER_HOST if unix://, else
                                      /var/run/docker.sock)
          --exec-root DIR             dockerd's --exec-root (default: /run/docker)
          --timeout SECONDS           Give up waiting for an answer after this long (default: 60)
          --json                      Print the answer as JSON
          -h, --help                  Show this help

        Exit codes: 0 ok, 1 the plugin answered an error, 2 bad command line, 3 cannot reach the plugin or Docker.
        """;

    public string? Plugin { get; private set; }

    public string? SocketPath { get; private set; }

    public string? DockerHost { get; private set; }

    public string ExecRoot { get; private set; } = "/run/docker";

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(60);

    public bool Json { get; private set; }

    public bool Help { get; private set; }

    /// <summary>The command (<c>health</c>, <c>volumes</c>, …).</summary>
    public string Command { get; private set; } = "";

    /// <summary>The volume of <c>forget</c> and <c>op --volume</c>.</summary>
    public string? Volume { get; private set; }

    /// <summary>The mount ID of <c>forget</c>, the level of <c>log-level</c>, the operation name of <c>op</c>.</summary>
    public string? Value { get; private set; }

    /// <summary>The <c>key=value</c> arguments of <c>op</c>.</summary>
    public Dictionary<string, string> OperationArguments { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/> (without the leading <c>ctl</c>); <paramref name="error"/> explains a bad
    /// command line.</summary>
    public static ControlCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        var result = new ControlCommandLine();
        var positional = new List<string>();
        var optionsEnded = false;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith('-') || arg == "-")
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            var (name, inlineValue) = CommandLineOption.Split(arg);
            switch (name)
            {
                case "-h" or "--help":
                    result.Help = true;
                    continue;
                case "--json":
                    result.Json = true;
                    continue;
                case "--plugin" or "--socket" or "--docker-host" or "--exec-root" or "--timeout" or "--volume":
                    break;
                default:
                    error = $"unknown option '{TerminalText.Escape(name, 100)}'";
                    return null;
            }

            if (CommandLineOption.TakeValue(name, inlineValue, args, ref i, out error) is not { } value)
            {
                return null;
            }

            error = result.SetOption(name, value);
            if (error is not null)
            {
                return null;
            }
        }

        if (result.Help)
        {
            return result;
        }

        error = result.SetCommand(positional);
        return error is null ? result : null;
    }

    private string? SetOption(string name, string value)
    {
        switch (name)
        {
            case "--plugin":
                Plugin = value;
                break;
            case "--socket":
                SocketPath = value;
                break;
            case "--docker-host":
                DockerHost = value;
                break;
            case "--exec-root":
                ExecRoot = value;
                break;
            case "--volume":
                if (!VolumeName.TryValidate(value, out var problem))
                {
                    return TerminalText.Escape(problem);
                }

                Volume = value;
                break;
            default:
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 86400)
                {
                    return $"option '--timeout' must be a number of seconds between 0 and 86400, got '{TerminalText.Escape(value, 40)}'";
                }

                Timeout = TimeSpan.FromSeconds(seconds);
                break;
        }

        return null;
    }

    private string? SetCommand(List<string> positional)
    {
        if (positional.Count == 0)
        {
            return "no command given";
        }

        Command = positional[0];
        var rest = positional.GetRange(1, positional.Count - 1);
        if (Volume is not null && Command != "op")
        {
            return "option '--volume' belongs to the 'op' command";
        }

        switch (Command)
        {
            case "health" or "volumes" or "reconcile" or "prepare-downgrade" or "metrics" or "operations":
                return rest.Count == 0 ? null : $"'{Command}' takes no arguments, got '{TerminalText.Escape(rest[0], 100)}'";
            case "forget":
                if (rest.Count is 0 or > 2)
                {
                    return "usage: forget VOLUME [ID]";
                }

                if (!VolumeName.TryValidate(rest[0], out var problem))
                {
                    return TerminalText.Escape(problem);
                }

                Volume = rest[0];
                Value = rest.Count == 2 ? rest[1] : null;
                return Value is "" ? "the mount ID must not be empty" : null;
            case "log-level":
                if (rest.Count > 1)
                {
                    return "usage: log-level [LEVEL]";
                }

                // The server owns the list of levels and answers 400 for an unknown one.
                Value = rest.Count == 1 ? rest[0] : null;
                return Value is "" ? "the log level must not be empty" : null;
            case "op":
                return SetOperation(rest);
            default:
                return $"unknown command '{TerminalText.Escape(Command, 100)}'";
        }
    }

    private string? SetOperation(List<string> rest)
    {
        if (rest.Count == 0 || rest[0].Length == 0)
        {
            return "usage: op NAME [--volume V] [key=value ...]";
        }

        Value = rest[0];
        foreach (var pair in rest.GetRange(1, rest.Count - 1))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return $"operation arguments are key=value, got '{TerminalText.Escape(pair, 100)}'";
            }

            if (!OperationArguments.TryAdd(pair[..eq], pair[(eq + 1)..]))
            {
                return $"the argument '{TerminalText.Escape(pair[..eq], 100)}' is given twice";
            }
        }

        return null;
    }
}
