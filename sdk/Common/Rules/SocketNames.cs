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

    /// <summary>The longest name accepted: unix socket paths are short (108 bytes with the directory).</summary>
    public const int MaxBytes = 100;

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
        return bytes > MaxBytes ? $"is {bytes} bytes long; unix socket paths are short, keep it within {MaxBytes} bytes" : null;
    }
}
