using System.Runtime.Versioning;

// Docker plugins and these tests run on Linux only.
[assembly: SupportedOSPlatform("linux")]
