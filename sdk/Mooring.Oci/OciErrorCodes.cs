namespace Mooring.Oci;

/// <summary>
/// The stable error codes of this library (<c>MOOR2xxx</c>). MSBuild tasks log them as the error code, so users can search for them.
/// </summary>
public static class OciErrorCodes
{
    /// <summary>The registry could not be reached (connection refused, DNS failure, timeout).</summary>
    public const string Unreachable = "MOOR2001";

    /// <summary>The registry answered 401: no credentials, or wrong ones.</summary>
    public const string Unauthorized = "MOOR2002";

    /// <summary>The registry answered 403 / DENIED: the credentials are valid but not allowed to do this.</summary>
    public const string Forbidden = "MOOR2003";

    /// <summary>The repository does not exist and the registry will not create it (NAME_UNKNOWN).</summary>
    public const string NameUnknown = "MOOR2004";

    /// <summary>The registry refused the manifest (MANIFEST_INVALID, unsupported media type, …).</summary>
    public const string ManifestRejected = "MOOR2005";

    /// <summary>A blob upload failed (BLOB_UPLOAD_INVALID, DIGEST_INVALID, size mismatch, …).</summary>
    public const string BlobUploadFailed = "MOOR2006";

    /// <summary>A manifest or blob that was asked for does not exist (MANIFEST_UNKNOWN, BLOB_UNKNOWN).</summary>
    public const string NotFound = "MOOR2007";

    /// <summary>The registry answered with something this client does not understand.</summary>
    public const string UnexpectedResponse = "MOOR2008";

    /// <summary>The token service (the Bearer realm) failed or refused to issue a token.</summary>
    public const string TokenServiceFailed = "MOOR2009";

    /// <summary>The TLS handshake failed (for example a plain-HTTP registry that is not listed as insecure).</summary>
    public const string TlsFailed = "MOOR2010";

    /// <summary>Downloaded content did not match its digest.</summary>
    public const string DigestMismatch = "MOOR2011";

    /// <summary>A layer archive is unsafe or malformed (path escape, absolute path, write through a symbolic link).</summary>
    public const string UnsafeArchive = "MOOR2020";

    /// <summary>The plugin directory is not usable (missing or invalid config.json, missing rootfs/).</summary>
    public const string InvalidPluginDirectory = "MOOR2021";

    /// <summary>An image could not be used as a base (no linux/amd64 entry, unknown media type, …).</summary>
    public const string UnsupportedImage = "MOOR2022";

    /// <summary>A credential source (docker config.json or a credential helper) could not be read.</summary>
    public const string CredentialSourceFailed = "MOOR2030";

    /// <summary>
    /// A registry answer was larger than allowed: a manifest, token answer or error body over 4 MiB, or a blob longer than its
    /// descriptor says.
    /// </summary>
    public const string ResponseTooLarge = "MOOR2012";

    /// <summary>
    /// The registry sent the client somewhere it will not go: plain HTTP to a host that is neither loopback nor listed as
    /// insecure (an upload location, a redirect, a token realm), or a scheme other than http and https.
    /// </summary>
    public const string UnsafeLocation = "MOOR2013";

    /// <summary>A base image layer expands too far: past the image's size limit or the compression ratio (a gzip bomb).</summary>
    public const string LayerTooLarge = "MOOR2023";
}
