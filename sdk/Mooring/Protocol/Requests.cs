namespace Mooring.Protocol;

/// <summary>The body of <c>/VolumeDriver.Create</c>: <c>{"Name","Opts":{k:v}|null}</c>.</summary>
internal sealed class CreateRequest
{
    public string? Name { get; set; }

    // Values are nullable because JSON may say "k":null; Go decodes that as "", and so do we.
    public Dictionary<string, string?>? Opts { get; set; }
}

/// <summary>The body of <c>/VolumeDriver.Remove</c>, <c>Path</c> and <c>Get</c>: <c>{"Name"}</c>.</summary>
internal sealed class NameRequest
{
    public string? Name { get; set; }
}

/// <summary>The body of <c>/VolumeDriver.Mount</c> and <c>Unmount</c>: <c>{"Name","ID"}</c>.</summary>
internal sealed class MountRequest
{
    public string? Name { get; set; }

    public string? ID { get; set; }
}
