namespace Mooring.Hosting.Management;

/// <summary>
/// Where the management socket lives. A managed plugin runs isolated under containerd, so <c>docker exec</c> cannot
/// reach it; its plugin socket (<c>/run/docker/plugins/&lt;socket&gt;</c> inside, <c>/run/docker/plugins/&lt;plugin-id&gt;/&lt;socket&gt;</c>
/// on the host) is reachable, and the management socket sits beside it with mode 0600 (root only).
/// </summary>
public static class ManagementSocket
{
    private const string SocketSuffix = ".sock";
    private const string ManagementSuffix = ".ctl.sock";

    /// <summary>The mode of the management socket: it can forget mounts and change the log level, so root only.</summary>
    internal const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The management socket's file name for a plugin socket name: <c>localvolume.sock</c> →
    /// <c>localvolume.ctl.sock</c> (a trailing <c>.sock</c> is stripped, then <c>.ctl.sock</c> appended).</summary>
    /// <param name="pluginSocketName">The plugin socket's file name (config.json's <c>interface.socket</c>).</param>
    /// <returns>The management socket's file name.</returns>
    public static string NameFor(string pluginSocketName)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginSocketName);
        var stem = pluginSocketName.EndsWith(SocketSuffix, StringComparison.Ordinal)
            ? pluginSocketName[..^SocketSuffix.Length]
            : pluginSocketName;
        return stem + ManagementSuffix;
    }

    /// <summary>The default management socket path: beside the plugin socket, named by <see cref="NameFor"/>.</summary>
    internal static string DefaultPathFor(string pluginSocketPath)
        => Path.Join(Path.GetDirectoryName(pluginSocketPath), NameFor(Path.GetFileName(pluginSocketPath)));
}
