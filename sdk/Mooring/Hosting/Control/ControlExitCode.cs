namespace Mooring.Hosting.Control;

/// <summary>The exit codes of <c>&lt;plugin&gt; ctl</c> (docs/operations.md).</summary>
internal static class ControlExitCode
{
    /// <summary>The command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The plugin answered an error (its <c>Err</c> is printed), or an answer the client cannot read.</summary>
    public const int PluginError = 1;

    /// <summary>A bad command line.</summary>
    public const int Usage = 2;

    /// <summary>The plugin or Docker could not be reached (the message names the socket and says why).</summary>
    public const int Unreachable = 3;
}
