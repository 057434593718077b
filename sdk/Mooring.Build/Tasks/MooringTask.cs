using Microsoft.Build.Framework;
using Mooring.Oci;
using Mooring.Oci.Auth;
using Mooring.Text;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Mooring.Build.Tasks;

/// <summary>
/// The base of every Mooring.Sdk task. It runs the task's work (synchronous or async) on the MSBuild thread, turns every
/// expected failure into one MSBuild error with its MOOR code and help link (never an MSB4018 stack trace), and stops
/// when the build is cancelled.
/// </summary>
public abstract class MooringTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Cancelled when MSBuild cancels the build (Ctrl+C).</summary>
    private protected CancellationToken CancellationToken => _cancellation.Token;

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            RunAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OciException e)
        {
            LogCodedError(e.Code, e.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogWarning($"{Describe()} was cancelled.");
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogCodedError(ErrorCodes.LocalIoFailed, $"{Describe()} failed on a local file: {e.Message} Check that the path exists and is writable, then build again.");
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The task's work, for a task that waits on the network or the disk; the default runs <see cref="Run"/>. Throw
    /// <see cref="OciException"/> with a code from <see cref="ErrorCodes"/> for problems the user must fix.
    /// </summary>
    private protected virtual Task RunAsync(CancellationToken cancellationToken)
    {
        Run();
        return Task.CompletedTask;
    }

    /// <summary>The task's work, for a task that overrides nothing else; <see cref="RunAsync"/> calls it.</summary>
    /// <exception cref="NotSupportedException">The task overrides neither <see cref="Run"/> nor <see cref="RunAsync"/>.</exception>
    private protected virtual void Run() =>
        throw new NotSupportedException($"{GetType().Name} must override Run or RunAsync.");

    /// <summary>A few words for the cancellation and local-file messages: "Pushing the plugin", "Writing the plugin tar".</summary>
    private protected virtual string Describe() => GetType().Name;

    /// <summary>Credentials that must never reach the log, whatever a message contains; <see langword="null"/> when there are none.</summary>
    private protected virtual RegistryCredentials? Secret => null;

    /// <summary>Logs at normal importance (shown with -v:n).</summary>
    private protected void Info(string message) => Log.LogMessage(MessageImportance.Normal, message);

    /// <summary>Logs at high importance (shown at the default verbosity).</summary>
    private protected void Result(string message) => Log.LogMessage(MessageImportance.High, message);

    /// <summary>Parses an optional boolean property ("" → null).</summary>
    /// <exception cref="OciException">The value is neither true nor false (<see cref="ErrorCodes.BadOverride"/>).</exception>
    private protected static bool? OptionalBool(string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return bool.TryParse(value.Trim(), out var result)
            ? result
            : throw new OciException(ErrorCodes.BadOverride, $"{property} is '{value}'; set it to true or false.");
    }

    /// <summary>Writes <paramref name="content"/> only when the file's bytes differ; returns true when it wrote.</summary>
    private protected static bool WriteIfChanged(string path, byte[] content)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    // Every form of the secret (as is, URL-escaped, base64 user:password) is removed and control characters are escaped:
    // the message may quote a registry or a file name.
    private void LogCodedError(string code, string message) =>
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, helpLink: ErrorCodes.HelpLink(code),
            file: BuildEngine?.ProjectFileOfTaskNode, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
            message: UntrustedText.EscapeMessage(Secret?.Redact(message) ?? message));
}
