namespace Mooring.Oci.Plugins;

/// <summary>A plugin directory written as one tar file (the input of <c>docker plugin create</c>).</summary>
/// <param name="Path">The tar file.</param>
/// <param name="Digest">Its <c>sha256:</c> digest.</param>
/// <param name="Size">Its size in bytes.</param>
public sealed record PluginArchive(string Path, string Digest, long Size);
