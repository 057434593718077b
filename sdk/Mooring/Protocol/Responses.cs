namespace Mooring.Protocol;

// The answers that never change (serialised once) and the {"Err"} answers. The answers that change with every request
// (Get, List, Mount, Path) are written by VolumeAnswers, which owns their shape.

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
