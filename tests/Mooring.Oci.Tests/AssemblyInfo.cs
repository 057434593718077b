// These tests drive a real Linux docker-registry, skopeo and unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
