using System.Text.Json;
using Mooring.Hosting.Management;

namespace Mooring.Hosting.Control;

/// <summary>Finds a plugin's management socket: given directly, or through the Docker API's <c>GET /plugins</c>.</summary>
/// <remarks>A managed plugin's socket <c>/run/docker/plugins/&lt;socket&gt;</c> is, on the host,
/// <c>&lt;exec root&gt;/plugins/&lt;plugin id&gt;/&lt;socket&gt;</c>; the management socket sits beside it.</remarks>
internal static class PluginLocator
{
    /// <summary>Where the Docker API listens when neither <c>--docker-host</c> nor a unix <c>DOCKER_HOST</c> says.</summary>
    public const string DefaultDockerSocket = "/var/run/docker.sock";

    // Shorter prefixes match too easily by accident (a name typo that happens to be hex).
    private const int MinIdPrefixLength = 4;

    /// <summary>The management socket to talk to.</summary>
    /// <param name="commandLine">The parsed command line.</param>
    /// <param name="ownSocketName">This binary's plugin socket name (<see cref="Metadata.PluginDescriptor.SocketName"/>).</param>
    /// <param name="environment">Reads <c>DOCKER_HOST</c>.</param>
    /// <param name="cancellationToken">Abandons the lookup.</param>
    /// <returns>The management socket's path.</returns>
    /// <exception cref="ControlException">Docker cannot be reached, or no plugin (or more than one) matches.</exception>
    public static async Task<string> FindAsync(ControlCommandLine commandLine, string ownSocketName, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (commandLine.SocketPath is not null)
        {
            return commandLine.SocketPath;
        }

        var dockerSocket = DockerSocket(commandLine.DockerHost, environment("DOCKER_HOST"));
        var answer = await ControlHttp.SendAsync(dockerSocket, "Docker", "GET", "/plugins", body: null, commandLine.Timeout, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new ControlException(
                ControlExitCode.Unreachable,
                $"Docker at {TerminalText.Escape(dockerSocket)} answered GET /plugins with {answer.StatusCode}: {ControlOutput.ErrorText(answer)}");
        }

        IReadOnlyList<DockerPlugin?>? plugins;
        try
        {
            plugins = ControlJson.ReadDockerPlugins(answer.Body);
        }
        catch (JsonException ex)
        {
            throw new ControlException(
                ControlExitCode.Unreachable,
                $"Docker at {TerminalText.Escape(dockerSocket)} answered GET /plugins with unreadable JSON: {TerminalText.Escape(ex.Message)}",
                ex);
        }

        var plugin = Select(plugins.NonNull(), commandLine.Plugin, ownSocketName);
        return SocketPathOf(plugin, commandLine.ExecRoot);
    }

    /// <summary>The Docker API socket: <c>--docker-host</c> (which must be <c>unix://</c>), else <c>DOCKER_HOST</c> when
    /// it is <c>unix://</c>, else <see cref="DefaultDockerSocket"/>.</summary>
    internal static string DockerSocket(string? option, string? environmentValue)
    {
        if (option is not null)
        {
            return UnixPath(option) ?? throw new ControlException(
                ControlExitCode.Usage,
                $"option '--docker-host' must be a unix:// URL such as unix:///var/run/docker.sock, got '{TerminalText.Escape(option, 100)}'");
        }

        return UnixPath(environmentValue) ?? DefaultDockerSocket;
    }

    /// <summary>Chooses the plugin <paramref name="wanted"/> names, or the only enabled one on <paramref name="ownSocketName"/>.</summary>
    internal static DockerPlugin Select(IReadOnlyList<DockerPlugin> plugins, string? wanted, string ownSocketName)
    {
        if (wanted is null)
        {
            var mine = Matching(plugins, p => p.Enabled && p.Config?.Interface?.Socket == ownSocketName);
            return mine.Count switch
            {
                1 => mine[0],
                0 => throw new ControlException(
                    ControlExitCode.Unreachable,
                    $"no enabled plugin uses the socket '{TerminalText.Escape(ownSocketName)}' ({Installed(plugins)}); name one with --plugin, or give its management socket with --socket"),
                _ => throw new ControlException(
                    ControlExitCode.Usage,
                    $"{mine.Count} enabled plugins use the socket '{TerminalText.Escape(ownSocketName)}' ({Names(mine)}); choose one with --plugin"),
            };
        }

        // A name (the alias, when installed with --alias) is exact; Docker shows and stores it with a tag.
        var byName = Matching(plugins, p => p.Name == wanted || p.Name == wanted + ":latest");
        var matches = byName.Count > 0 ? byName
            : wanted.Length >= MinIdPrefixLength ? Matching(plugins, p => p.Id?.StartsWith(wanted, StringComparison.Ordinal) == true)
            : [];
        var plugin = matches.Count switch
        {
            1 => matches[0],
            0 => throw new ControlException(
                ControlExitCode.Unreachable,
                $"no plugin is named '{TerminalText.Escape(wanted, 100)}' or has an ID starting with it ({Installed(plugins)})"
                + (wanted.Length < MinIdPrefixLength ? $"; an ID prefix needs at least {MinIdPrefixLength} characters" : "")),
            _ => throw new ControlException(
                ControlExitCode.Usage,
                $"the ID prefix '{TerminalText.Escape(wanted, 100)}' is ambiguous: it matches {Names(matches)}; give more characters"),
        };

        if (!plugin.Enabled)
        {
            throw new ControlException(
                ControlExitCode.Unreachable,
                $"the plugin {Describe(plugin)} is disabled, so its management socket is closed: docker plugin enable {TerminalText.Escape(plugin.Name, 100)}");
        }

        return plugin;
    }

    /// <summary><c>&lt;exec root&gt;/plugins/&lt;id&gt;/&lt;management socket&gt;</c>, after checking that the ID and the
    /// socket name Docker reported are plain path segments.</summary>
    internal static string SocketPathOf(DockerPlugin plugin, string execRoot)
    {
        var id = plugin.Id;
        if (string.IsNullOrEmpty(id) || id.AsSpan().ContainsAnyExcept("0123456789abcdef"))
        {
            throw new ControlException(ControlExitCode.Unreachable, $"Docker reported the plugin {Describe(plugin)} with an unusable ID '{TerminalText.Escape(id, 100)}'");
        }

        var socket = plugin.Config?.Interface?.Socket;
        if (string.IsNullOrEmpty(socket) || socket is "." or ".." || socket.Contains('/', StringComparison.Ordinal) || socket.Contains('\0', StringComparison.Ordinal))
        {
            throw new ControlException(
                ControlExitCode.Unreachable,
                $"the plugin {Describe(plugin)} declares no usable socket name in its config (Interface.Socket '{TerminalText.Escape(socket, 100)}')");
        }

        return Path.Combine(execRoot, "plugins", id, ManagementSocket.NameFor(socket));
    }

    private static string? UnixPath(string? url) =>
        url is not null && url.StartsWith("unix://", StringComparison.Ordinal) && url.Length > "unix://".Length && url["unix://".Length] == '/'
            ? url["unix://".Length..]
            : null;

    private static string Describe(DockerPlugin plugin) =>
        $"'{TerminalText.Escape(plugin.Name, 100)}' (ID {TerminalText.Escape(plugin.Id?.Length > 12 ? plugin.Id[..12] : plugin.Id, 100)})";

    private static string Names(IReadOnlyList<DockerPlugin> plugins) => string.Join(", ", plugins.ConvertAll(Describe));

    private static List<DockerPlugin> Matching(IReadOnlyList<DockerPlugin> plugins, Predicate<DockerPlugin> match)
    {
        var found = new List<DockerPlugin>();
        foreach (var plugin in plugins)
        {
            if (match(plugin))
            {
                found.Add(plugin);
            }
        }

        return found;
    }

    private static string Installed(IReadOnlyList<DockerPlugin> plugins) =>
        plugins.Count == 0 ? "no plugins are installed" : "installed: " + Names(plugins);
}
