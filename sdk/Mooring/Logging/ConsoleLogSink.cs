namespace Mooring.Logging;

/// <summary>Where log lines go. The default is the process's stdout and stderr; tests substitute writers.</summary>
internal sealed class ConsoleLogSink
{
    private readonly TextWriter? _out;
    private readonly TextWriter? _error;

    /// <summary>Creates a sink.</summary>
    /// <param name="out">Receives Information and below (dockerd logs a plugin's stdout at level=info).</param>
    /// <param name="error">Receives Warning and above (dockerd logs a plugin's stderr at level=error).</param>
    public ConsoleLogSink(TextWriter @out, TextWriter error)
    {
        _out = @out;
        _error = error;
    }

    private ConsoleLogSink()
    {
    }

    /// <summary>The process's stdout and stderr (<see cref="StandardStreams"/>), looked up at each write so that a
    /// redirection is honoured.</summary>
    public static ConsoleLogSink Process { get; } = new();

    public TextWriter Out => _out ?? StandardStreams.Out;

    public TextWriter Error => _error ?? StandardStreams.Error;

    // One lock for both streams keeps a multi-line entry (message + exception) together when both go to one terminal.
    public object Gate { get; } = new();
}
