using System.Text;
using Mooring.Oci;
using Mooring.PluginConfiguration;
using Mooring.Rules;

namespace Mooring.Build.Manifest;

/// <summary>
/// Turns the generator's manifest plus MSBuild overrides into <c>config.json</c> (docs/protocol.md §3.1): the model is
/// read by <see cref="PluginConfigReader"/>, completed by <see cref="ConfigOverrides"/>, checked here and written by
/// <see cref="PluginConfigWriter"/> — indented, keys in a fixed order, only the fields Docker knows, LF line endings, so the
/// same input always gives the same bytes.
/// </summary>
internal static class PluginConfigBuilder
{
    private static readonly HashSet<string> Networks = new(StringComparer.Ordinal) { "", "host", "none", "bridge" };

    /// <summary>Builds the config.json bytes; throws <see cref="OciException"/> on bad input.</summary>
    public static byte[] Build(string manifestJson, ConfigOverrides overrides) => Render(Create(manifestJson, overrides));

    /// <summary>The checked model of config.json; throws <see cref="OciException"/> on bad input.</summary>
    public static PluginConfigDocument Create(string manifestJson, ConfigOverrides overrides)
    {
        var config = PluginConfigReader.Read(manifestJson);
        overrides.ApplyTo(config);
        Validate(config);
        return config;
    }

    /// <summary>The config.json bytes of <paramref name="config"/> (UTF-8, no byte order mark).</summary>
    public static byte[] Render(PluginConfigDocument config) => Encoding.UTF8.GetBytes(PluginConfigWriter.Write(config, JsonTextStyle.Indented));

    // The values come from the manifest or from MSBuild; the messages name the MSBuild property, which is what a user sets.
    private static void Validate(PluginConfigDocument config)
    {
        var socket = config.Socket;
        if (SocketNames.Problem(socket) is { } socketProblem)
        {
            throw new OciException(ErrorCodes.BadOverride, $"PluginSocket '{socket}' is not a socket file name: it {socketProblem}. Use a plain file name such as 'myplugin.sock' (no '/').");
        }

        if (!Networks.Contains(config.Network))
        {
            throw new OciException(ErrorCodes.BadOverride, $"PluginNetwork '{config.Network}' is not a Docker plugin network type. Use host, none, bridge, or leave it empty.");
        }

        if (config.PropagatedMount.Length > 0)
        {
            ValidatePath("PluginPropagatedMount", config.PropagatedMount, PluginPaths.PropagatedMountProblem(config.PropagatedMount));
        }

        ValidatePath("PluginWorkingDirectory", config.WorkDir ?? "", PluginPaths.AbsolutePathProblem(config.WorkDir ?? ""));
        if (config.Entrypoint is not [{ Length: > 0 }, ..])
        {
            throw new OciException(ErrorCodes.BadOverride, "PluginEntrypoint is empty; Docker refuses to enable a plugin without an entrypoint. Remove the property to use the plugin binary.");
        }

        foreach (var capability in config.Capabilities)
        {
            if (!LinuxCapabilities.IsKnown(capability))
            {
                throw new OciException(ErrorCodes.BadOverride, $"'{capability}' is not a Linux capability name{LinuxCapabilities.Hint(capability)}");
            }
        }

        foreach (var variable in config.Env)
        {
            if (EnvNames.Problem(variable.Name) is { } problem)
            {
                throw new OciException(ErrorCodes.BadOverride, $"PluginEnv '{variable.Name}' {problem}.");
            }
        }
    }

    private static void ValidatePath(string property, string path, string? problem)
    {
        if (problem is not null)
        {
            throw new OciException(ErrorCodes.BadOverride, $"{property} '{path}' must be an absolute path inside the plugin without '..' (e.g. /data): it {problem}.");
        }
    }
}
