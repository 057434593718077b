namespace Mooring.Oci;

/// <summary>An error from Mooring.Oci with a stable <c>MOOR2xxx</c> <see cref="Code"/>. Messages never contain secrets.</summary>
public class OciException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of <see cref="OciErrorCodes"/>.</param>
    /// <param name="message">What went wrong and what to try.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OciException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The stable error code (<c>MOOR2xxx</c>), see <see cref="OciErrorCodes"/>.</summary>
    public string Code { get; }
}
