using System.Text.Json;
using Mooring.Hosting.Management;
using Mooring.Protocol;

namespace Mooring.Hosting.Control;

/// <summary><c>&lt;plugin&gt; ctl …</c>: the management client built into every plugin binary.</summary>
/// <remarks>In the binary rather than a separate tool because the binary is already on every host that has the
/// plugin installed (in the plugin's rootfs), and it knows its own socket name, so it can find its plugin without
/// being told which one (docs/operations.md).</remarks>
internal static class ControlCommand
{
    /// <summary>Runs one <c>ctl</c> command.</summary>
    /// <param name="args">The command line after <c>ctl</c>.</param>
    /// <param name="ownSocketName">This binary's plugin socket name, to find its plugin without <c>--plugin</c>.</param>
    /// <param name="output">Receives the answer.</param>
    /// <param name="error">Receives errors and usage.</param>
    /// <param name="environment">Reads environment variables (<c>DOCKER_HOST</c>).</param>
    /// <param name="cancellationToken">Abandons the command.</param>
    /// <returns>One of <see cref="ControlExitCode"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string ownSocketName, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var commandLine = ControlCommandLine.Parse(args, out var problem);
        if (commandLine is null)
        {
            await error.WriteLineAsync($"error: {problem}{Environment.NewLine}{Environment.NewLine}{ControlCommandLine.Usage}").ConfigureAwait(false);
            return ControlExitCode.Usage;
        }

        if (commandLine.Help)
        {
            await output.WriteLineAsync(ControlCommandLine.Usage).ConfigureAwait(false);
            return ControlExitCode.Ok;
        }

        try
        {
            var socket = await PluginLocator.FindAsync(commandLine, ownSocketName, environment, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(commandLine, socket, output, cancellationToken).ConfigureAwait(false);
            return ControlExitCode.Ok;
        }
        catch (ControlException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
    }

    private static async Task ExecuteAsync(ControlCommandLine commandLine, string socket, TextWriter output, CancellationToken cancellationToken)
    {
        switch (commandLine.Command)
        {
            case "health":
                Print(await CallAsync(commandLine, socket, "GET", "/health", null, ManagementJson.ReadHealthAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Health);
                break;
            case "volumes":
                Print(await CallAsync(commandLine, socket, "GET", "/volumes", null, ManagementJson.ReadVolumesAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Volumes);
                break;
            case "reconcile":
                Print(await CallAsync(commandLine, socket, "POST", "/reconcile", null, ManagementJson.ReadReconcileAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Reconcile);
                break;
            case "forget":
                var forget = JsonBody.Write(new ForgetRequest { Volume = commandLine.Volume!, Id = commandLine.Value }, ManagementJson.Write);
                Print(await CallAsync(commandLine, socket, "POST", "/forget", forget, ManagementJson.ReadForgetAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Forget);
                break;
            case "prepare-downgrade":
                Print(await CallAsync(commandLine, socket, "POST", "/prepare-downgrade", null, ManagementJson.ReadDowngradeAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Downgrade);
                break;
            case "log-level":
                var level = commandLine.Value is null ? null : JsonBody.Write(new LogLevelBody { Level = commandLine.Value }, ManagementJson.Write);
                Print(await CallAsync(commandLine, socket, level is null ? "GET" : "PUT", "/log-level", level, ManagementJson.ReadLogLevelAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.LogLevel);
                break;
            case "metrics":
                // Prometheus text in both modes: it has no JSON form, and scrapers read this format.
                var metrics = await SendAsync(commandLine, socket, "GET", "/metrics", null, cancellationToken).ConfigureAwait(false);
                ControlOutput.Metrics(output, metrics.BodyText);
                break;
            case "operations":
                Print(await CallAsync(commandLine, socket, "GET", "/operations", null, ManagementJson.ReadOperationsAnswer, cancellationToken).ConfigureAwait(false), ControlOutput.Operations);
                break;
            default: // "op": the parser accepts no other command
                var name = commandLine.Value!;
                var request = JsonBody.Write(new OperationRequest { Volume = commandLine.Volume, Arguments = commandLine.OperationArguments! }, ManagementJson.Write);
                var path = "/operations/" + Uri.EscapeDataString(name);
                Print(await CallAsync(commandLine, socket, "POST", path, request, ManagementJson.ReadOperationAnswer, cancellationToken).ConfigureAwait(false), (o, a) => ControlOutput.Operation(o, name, a));
                break;
        }

        void Print<T>((T Answer, byte[] Body) result, Action<TextWriter, T> table)
        {
            if (commandLine.Json)
            {
                ControlOutput.Json(output, result.Body);
            }
            else
            {
                table(output, result.Answer);
            }
        }
    }

    private static async Task<(T Answer, byte[] Body)> CallAsync<T>(ControlCommandLine commandLine, string socket, string method, string path, byte[]? body, ElementReader<T?> read, CancellationToken cancellationToken)
        where T : class
    {
        var answer = await SendAsync(commandLine, socket, method, path, body, cancellationToken).ConfigureAwait(false);
        try
        {
            var value = JsonFields.Read(answer.Body, read) ?? throw new JsonException("the answer is null");
            return (value, answer.Body);
        }
        catch (JsonException ex)
        {
            throw new ControlException(ControlExitCode.PluginError, $"the plugin answered {method} {path} with JSON the client cannot read: {TerminalText.Escape(ex.Message)}", ex);
        }
    }

    private static async Task<UnixHttpResponse> SendAsync(ControlCommandLine commandLine, string socket, string method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var answer = await ControlHttp.SendAsync(socket, "the plugin", method, path, body, commandLine.Timeout, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new ControlException(ControlExitCode.PluginError, $"{ControlOutput.ErrorText(answer)} (HTTP {answer.StatusCode} from {method} {path})");
        }

        return answer;
    }
}
