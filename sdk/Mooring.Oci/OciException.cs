namespace Mooring.Oci;

/// <summary>
/// An error with a stable <c>MOOR</c> <see cref="Code"/>: this library raises <c>MOOR2xxx</c> (<see cref="OciErrorCodes"/>),
/// and the Mooring.Sdk tasks raise their MOOR1xxx/MOOR2040 codes with it too, so every build error goes through one type.
/// Messages never contain secrets.
/// </summary>
public class OciException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of <see cref="OciErrorCodes"/>, or a Mooring.Sdk task's code (sdk/Mooring.Build/ErrorCodes.cs).</param>
    /// <param name="message">What went wrong and what to try.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OciException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The stable error code (<c>MOOR2xxx</c> from <see cref="OciErrorCodes"/>, or a task's <c>MOOR1xxx</c>/<c>MOOR2040</c>).</summary>
    public string Code { get; }
}
