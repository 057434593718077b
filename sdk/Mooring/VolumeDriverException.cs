namespace Mooring;

/// <summary>
/// A failure whose <see cref="Exception.Message"/> is sent to dockerd as <c>{"Err": message}</c> and reaches the user
/// verbatim through the docker CLI. Name the volume and the problem.
/// </summary>
public class VolumeDriverException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    public VolumeDriverException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure that caused it (logged, never sent to dockerd).</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="innerException">The cause.</param>
    public VolumeDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error for an operation on a volume that does not exist.</summary>
    /// <param name="name">The volume name.</param>
    public static VolumeDriverException NotFound(string name) => new($"volume '{name}' not found");

    /// <summary>The error for removing a volume that is still mounted.</summary>
    /// <param name="name">The volume name.</param>
    public static VolumeDriverException InUse(string name) => new($"volume '{name}' is in use: it is still mounted");
}
