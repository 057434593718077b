using System.Security.Cryptography;

namespace Mooring.Oci.References;

/// <summary>Helpers for <c>sha256:</c> content digests.</summary>
public static class Digests
{
    /// <summary>The <c>sha256:&lt;hex&gt;</c> digest of some bytes.</summary>
    /// <param name="content">The content.</param>
    public static string Sha256(ReadOnlySpan<byte> content) => Format(SHA256.HashData(content));

    /// <summary>The <c>sha256:&lt;hex&gt;</c> digest of a file, read in one streaming pass.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<string> Sha256FileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Format(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether the text is a well-formed <c>sha256:</c> digest (64 lowercase hex characters).</summary>
    /// <param name="digest">The text to check.</param>
    public static bool IsValid(string? digest) => digest is not null && ImageReference.DigestPattern().IsMatch(digest);

    internal static string Format(ReadOnlySpan<byte> hash) => "sha256:" + Convert.ToHexStringLower(hash);
}
