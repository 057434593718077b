using System.ComponentModel;

namespace Mooring.Hosting.Metadata;

/// <summary>
/// What the source generator adds to a <see cref="VolumePluginAttribute"/> driver class so that
/// <see cref="VolumePluginHost"/> can run it without reflection.
/// </summary>
/// <typeparam name="TSelf">The driver class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public interface IVolumePlugin<TSelf>
    where TSelf : class, IVolumePlugin<TSelf>
{
    /// <summary>The plugin's identity: manifest, socket name, propagated mount.</summary>
    static abstract PluginDescriptor Descriptor { get; }

    /// <summary>Constructs the driver, binding its settings from the environment.</summary>
    /// <param name="context">The running plugin's context.</param>
    static abstract TSelf CreateDriver(PluginContext context);

    /// <summary>Creates the request dispatcher for a driver instance.</summary>
    /// <param name="driver">The driver.</param>
    /// <param name="context">The running plugin's context.</param>
    static abstract PluginDispatcher CreateDispatcher(TSelf driver, PluginContext context);
}
