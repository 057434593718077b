namespace Mooring.Hosting.Metadata;

/// <summary>Which fields a VolumeDriver request carries; <see cref="Protocol.VolumeRequestReader"/> reads them and
/// <see cref="VolumeProtocol"/> checks them.</summary>
internal enum RequestFields
{
    /// <summary>List, Capabilities: <c>{}</c>, or an empty body.</summary>
    None,

    /// <summary>Remove, Path, Get: <c>{"Name": …}</c>.</summary>
    Name,

    /// <summary>Mount, Unmount: <c>{"Name": …, "ID": …}</c>.</summary>
    NameAndId,

    /// <summary>Create: <c>{"Name": …, "Opts": {…}}</c>.</summary>
    NameAndOptions,
}

/// <summary>A request whose fields have been read and checked: a valid volume name, a non-empty ID where one belongs.</summary>
/// <param name="Name">The volume; null only for <see cref="RequestFields.None"/>.</param>
/// <param name="Id">The mount ID (Mount, Unmount).</param>
/// <param name="Options">The <c>-o</c> options (Create), as sent; null values are read as "" by
/// <see cref="VolumeProtocol.ToOptions"/>.</param>
internal readonly record struct VolumeRequest(string? Name, string? Id, Dictionary<string, string?>? Options);
