namespace Mooring.Testing;

/// <summary>A conformance check failed. The message says what dockerd would do with the driver's answer, then shows
/// the answer.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates an exception without a check (serialisation and tooling only).</summary>
    public ConformanceException()
        : this("a conformance check failed")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What dockerd would do, and why.</param>
    public ConformanceException(string message)
        : base(message)
    {
        Check = string.Empty;
    }

    /// <summary>Creates an exception wrapping the failure that interrupted a check.</summary>
    /// <param name="message">What dockerd would do, and why.</param>
    /// <param name="innerException">The failure.</param>
    public ConformanceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Check = string.Empty;
    }

    /// <summary>Creates an exception for a named check.</summary>
    /// <param name="check">The check, one of <see cref="VolumeDriverConformance.Checks"/>.</param>
    /// <param name="message">What dockerd would do, and why.</param>
    /// <param name="innerException">The failure that interrupted the check, if any.</param>
    public ConformanceException(string check, string message, Exception? innerException)
        : base($"conformance check '{check}' failed: {message}", innerException)
    {
        Check = check;
    }

    /// <summary>The check that failed (empty when not known).</summary>
    public string Check { get; }
}
