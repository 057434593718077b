namespace Mooring.Build.Push;

/// <summary>
/// The error codes of the push tasks that are not registry errors. Registry and artefact errors keep the code Mooring.Oci gave
/// them (<see cref="Mooring.Oci.OciErrorCodes"/>, MOOR2001–MOOR2039); these follow on in the same MOOR2xxx range.
/// </summary>
internal static class PushErrorCodes
{
    /// <summary>A push setting (PluginRegistry, PluginRepository, PluginTags, SOURCE_DATE_EPOCH, PluginBaseImage, …) is invalid.</summary>
    public const string BadSetting = "MOOR2040";

    /// <summary>A local file could not be read or written (the plugin directory, the layer cache, the tar file).</summary>
    public const string LocalIoFailed = "MOOR2041";
}
