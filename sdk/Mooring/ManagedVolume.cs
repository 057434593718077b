namespace Mooring;

/// <summary>A volume of an <see cref="IManagedVolumeDriver{TOptions}"/>, as Mooring keeps it in memory.</summary>
/// <typeparam name="TOptions">The driver's options class.</typeparam>
public sealed class ManagedVolume<TOptions>
    where TOptions : class
{
    private readonly Dictionary<string, string> _properties;

    internal ManagedVolume(string name, TOptions options, IReadOnlyDictionary<string, string> rawOptions, DateTimeOffset createdAt, string dataDirectory, IReadOnlyDictionary<string, string>? properties)
    {
        Name = name;
        Options = options;
        RawOptions = rawOptions;
        CreatedAt = createdAt;
        DataDirectory = dataDirectory;
        _properties = properties is null ? new(StringComparer.Ordinal) : new(properties, StringComparer.Ordinal);
    }

    /// <summary>The volume name (validated: safe as one path segment).</summary>
    public string Name { get; }

    /// <summary>The options the volume was created with, bound again from its record after every restart.</summary>
    public TOptions Options { get; }

    /// <summary>The <c>-o key=value</c> pairs as the user gave them.</summary>
    public IReadOnlyDictionary<string, string> RawOptions { get; }

    /// <summary>When the volume was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The volume's directory under the data root: its mountpoint, created by Mooring before
    /// <see cref="IManagedVolumeDriver{TOptions}.ProvisionAsync"/> and deleted safely after
    /// <see cref="IManagedVolumeDriver{TOptions}.DestroyAsync"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>Facts the driver recorded with <see cref="SetProperty"/> during provisioning (a backend ID, a
    /// generation…); kept in the volume's record.</summary>
    public IReadOnlyDictionary<string, string> Properties => _properties;

    /// <summary>Whether <see cref="SetProperty"/> may be called (only inside <c>ProvisionAsync</c>).</summary>
    internal bool Provisioning { get; set; }

    /// <summary>Records a fact about the volume. Only during <c>ProvisionAsync</c>: it is written with the record that
    /// makes the volume exist, so it survives restarts and upgrades.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">Called outside <c>ProvisionAsync</c>.</exception>
    public void SetProperty(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!Provisioning)
        {
            throw new InvalidOperationException($"volume '{Name}': properties can only be set in ProvisionAsync, where they are recorded with the volume");
        }

        _properties[key] = value;
    }
}
