// owned by mgmt-server
namespace Mooring.Hosting.Management;

/// <summary>Where a plugin's management socket lives: beside the plugin socket, named after it.</summary>
public static class ManagementSocket
{
    /// <summary>The management socket's file name for a plugin socket's file name: <c>localvolume.sock</c> gives
    /// <c>localvolume.ctl.sock</c> (a trailing <c>.sock</c> is stripped, then <c>.ctl.sock</c> appended).</summary>
    /// <param name="pluginSocketName">The plugin socket's file name, e.g. <c>Config.Interface.Socket</c>.</param>
    /// <returns>The management socket's file name.</returns>
    public static string NameFor(string pluginSocketName)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginSocketName);
        var stem = pluginSocketName.EndsWith(".sock", StringComparison.Ordinal) ? pluginSocketName[..^".sock".Length] : pluginSocketName;
        return stem + ".ctl.sock";
    }
}
