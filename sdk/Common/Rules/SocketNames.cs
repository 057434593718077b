using System;
using System.Text;

namespace Mooring.Rules;

/// <summary>
/// The plugin socket's file name (config.json <c>interface.socket</c>): dockerd looks for it under
/// <see cref="Directory"/>, so it must be a plain file name. Checked by the generator (<c>[VolumePlugin(Socket)]</c>,
/// MOOR0005) and the PluginConfig task (<c>PluginSocket</c>, MOOR1006).
/// </summary>
/// <remarks>One source file compiled into each assembly that needs the rule (sdk/Common/Rules, like dotnet/runtime's
/// <c>Common/src</c>): one rule, one owner. The default name is a config.json default and lives with the config model.</remarks>
internal static class SocketNames
{
    /// <summary>The directory dockerd looks in for plugin sockets (inside a managed plugin, too).</summary>
    public const string Directory = "/run/docker/plugins";

    /// <summary>
    /// The longest name accepted, in UTF-8 bytes. dockerd dials a managed plugin's socket on the host at
    /// <c>/run/docker/plugins/&lt;64-hex plugin id&gt;/&lt;socket&gt;</c>: on Linux the plugins' exec root is fixed to
    /// <c>/run/docker/plugins</c>, whatever <c>--exec-root</c> says (moby daemon/daemon_linux.go, getPluginExecRoot),
    /// and plugin/manager_linux.go (pluginPostStart) joins it with the ID and the socket name. Go refuses a unix
    /// address of 108 bytes or more, so the whole path must stay within 107: 85 bytes are taken, 22 are left. A longer
    /// name compiles and installs, then fails when the plugin is enabled (docs/protocol.md, "Socket path").
    /// </summary>
    public const int MaxBytes = 22;

    /// <summary>The suffix of default names.</summary>
    public const string Suffix = ".sock";

    /// <summary>Why <paramref name="socket"/> is not a socket file name (a phrase such as <c>is empty</c>), or
    /// <see langword="null"/> when it is fine.</summary>
    public static string? Problem(string socket)
    {
        if (socket.Length == 0)
        {
            return "is empty";
        }

        if (socket.IndexOf('/') >= 0)
        {
            return "contains '/'; give a file name, which dockerd places under " + Directory;
        }

        if (socket.IndexOf('\0') >= 0)
        {
            return "contains a NUL character";
        }

        if (socket is "." or "..")
        {
            return "is not a file name";
        }

        var bytes = Encoding.UTF8.GetByteCount(socket);
        return bytes > MaxBytes
            ? $"is {bytes} bytes long; dockerd reaches the socket at {Directory}/<64-character plugin id>/<socket>, and a unix socket path must stay within 107 bytes, so keep the name within {MaxBytes} bytes"
            : null;
    }

    /// <summary>
    /// The default name for a driver class: the class name in lower case without a <c>VolumeDriver</c> or
    /// <c>Driver</c> suffix, plus <c>.sock</c> (<c>LocalDriver</c> → <c>local.sock</c>), cut so that it fits in
    /// <see cref="MaxBytes"/>. The template's default (<c>dotnet new dockervolume</c>) is cut to the same length.
    /// </summary>
    public static string DefaultFor(string className)
    {
        foreach (var suffix in new[] { "VolumeDriver", "Driver" })
        {
            if (className.Length > suffix.Length && className.EndsWith(suffix, StringComparison.Ordinal))
            {
                className = className.Substring(0, className.Length - suffix.Length);
                break;
            }
        }

        var stem = className.ToLowerInvariant();
        while (Encoding.UTF8.GetByteCount(stem) > MaxBytes - Suffix.Length)
        {
            // Never split a surrogate pair: cut whole characters.
            stem = stem.Substring(0, char.IsLowSurrogate(stem[stem.Length - 1]) ? stem.Length - 2 : stem.Length - 1);
        }

        return stem + Suffix;
    }
}
