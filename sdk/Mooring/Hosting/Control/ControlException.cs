namespace Mooring.Hosting.Control;

/// <summary>Ends a <c>ctl</c> command with <see cref="ExitCode"/> and a message for stderr.</summary>
/// <remarks>The message is already safe to print: untrusted parts were escaped with <see cref="TerminalText"/> when
/// it was written.</remarks>
internal sealed class ControlException(int exitCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>One of <see cref="ControlExitCode"/>.</summary>
    public int ExitCode { get; } = exitCode;
}
