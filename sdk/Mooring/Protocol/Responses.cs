namespace Mooring.Protocol;

/// <summary>An error answer, and the success answer of Create, Remove and Unmount (<c>{}</c>).</summary>
internal sealed class ErrorResponse
{
    public string? Err { get; set; }
}

/// <summary>The answer to <c>/Plugin.Activate</c>.</summary>
internal sealed class ActivateResponse
{
    public required string[] Implements { get; set; }
}

/// <summary>The answer to <c>/VolumeDriver.Mount</c> and <c>/VolumeDriver.Path</c>.</summary>
internal sealed class MountpointResponse
{
    public string? Mountpoint { get; set; }
}

/// <summary>The answer to <c>/VolumeDriver.Get</c>.</summary>
internal sealed class GetResponse
{
    public WireVolume? Volume { get; set; }
}

/// <summary>The answer to <c>/VolumeDriver.List</c>.</summary>
internal sealed class ListResponse
{
    public required WireVolume[] Volumes { get; set; }
}

/// <summary>The answer to <c>/VolumeDriver.Capabilities</c>.</summary>
internal sealed class CapabilitiesResponse
{
    public required WireCapabilities Capabilities { get; set; }
}

/// <summary>The <c>Capabilities</c> object: <c>{"Scope":"local"|"global"}</c>.</summary>
internal sealed class WireCapabilities
{
    public required string Scope { get; set; }
}

/// <summary>A volume on the wire. <c>CreatedAt</c> is pre-formatted RFC 3339 (dockerd decodes it into Go's
/// <c>time.Time</c>, so an empty string would fail the whole response); null fields are omitted.</summary>
internal sealed class WireVolume
{
    public required string Name { get; set; }

    public string? Mountpoint { get; set; }

    public string? CreatedAt { get; set; }

    public IReadOnlyDictionary<string, string>? Status { get; set; }
}
