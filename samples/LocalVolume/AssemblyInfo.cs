using System.Runtime.Versioning;

// Docker plugins run on Linux only; this lets the platform analyzer accept Unix-only APIs such as chmod.
[assembly: SupportedOSPlatform("linux")]
