using System.Net;

namespace Mooring.Oci.Registry;

/// <summary>
/// A registry operation failed. The message names the registry, the step and what to try; it never contains a password or token.
/// </summary>
public sealed class RegistryException : OciException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of <see cref="OciErrorCodes"/>.</param>
    /// <param name="registry">The registry host (and port).</param>
    /// <param name="step">The step that failed.</param>
    /// <param name="statusCode">The HTTP status, when the registry answered.</param>
    /// <param name="registryErrorCode">The first error code from the registry's JSON error body (for example <c>NAME_UNKNOWN</c>), if any.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public RegistryException(string code, string registry, RegistryStep step, HttpStatusCode? statusCode, string? registryErrorCode, string message, Exception? innerException = null)
        : base(code, message, innerException)
    {
        Registry = registry;
        Step = step;
        StatusCode = statusCode;
        RegistryErrorCode = registryErrorCode;
    }

    /// <summary>The registry host (and port) the request went to.</summary>
    public string Registry { get; }

    /// <summary>The step that failed.</summary>
    public RegistryStep Step { get; }

    /// <summary>The HTTP status code, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's own error code (<c>NAME_UNKNOWN</c>, <c>MANIFEST_INVALID</c>, <c>DENIED</c>, …), if it sent one.</summary>
    public string? RegistryErrorCode { get; }
}
