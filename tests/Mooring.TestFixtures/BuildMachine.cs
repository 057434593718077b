using System.Runtime.InteropServices;

namespace Mooring.TestFixtures;

/// <summary>The machine the tests run on, as the SDK sees it (sdk/Mooring.Sdk/Sdk/Sdk.props defaults the RID to it).</summary>
public static class BuildMachine
{
    /// <summary>linux-x64 or linux-arm64: the folder name under bin/&lt;Configuration&gt;/&lt;TFM&gt;/ a plugin is published to by default.</summary>
    public static string RuntimeIdentifier { get; } = "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
}
