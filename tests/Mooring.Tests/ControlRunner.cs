using Mooring.Hosting.Control;

namespace Mooring.Tests;

/// <summary>What one <c>ctl</c> run printed and returned.</summary>
public sealed record ControlRun(int ExitCode, string Out, string Err);

/// <summary>Runs <c>&lt;plugin&gt; ctl …</c> in-process with captured output.</summary>
public static class ControlRunner
{
    public static async Task<ControlRun> RunAsync(IReadOnlyList<string> args, string ownSocketName = "acme.sock", IReadOnlyDictionary<string, string>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await ControlCommand.RunAsync(args, ownSocketName, output, error, name => environment?.GetValueOrDefault(name), timeout.Token);
        return new ControlRun(code, output.ToString(), error.ToString());
    }
}
