namespace Mooring;

/// <summary>An <c>-o key=value</c> option that could not be bound: unknown, malformed or missing.</summary>
public sealed class VolumeOptionException : VolumeDriverException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user; it names the volume and the option.</param>
    public VolumeOptionException(string message)
        : base(message)
    {
    }
}
