using Microsoft.Build.Framework;
using Mooring.Oci;
using MSBuildTask = Microsoft.Build.Utilities.Task;
using Mooring.Text;

namespace Mooring.Build.Push;

/// <summary>
/// The base of the push tasks: runs the async work on the MSBuild thread, turns every expected failure into one MSBuild
/// error with a MOOR2xxx code (never an MSB4018 stack trace), and stops when the build is cancelled.
/// </summary>
public abstract class OciTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <inheritdoc />
    public void Cancel() => _cancel.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            RunAsync(_cancel.Token).GetAwaiter().GetResult();
        }
        catch (OciException e)
        {
            LogCodedError(e.Code, e.Message);
        }
        catch (PushSettingException e)
        {
            LogCodedError(PushErrorCodes.BadSetting, e.Message);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogWarning($"{Describe()} was cancelled.");
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogCodedError(PushErrorCodes.LocalIoFailed, $"{Describe()} failed on a local file: {e.Message} Check that the path exists and is writable, then build again.");
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work. Throw <see cref="OciException"/> or <see cref="PushSettingException"/> for problems the user must fix.</summary>
    private protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>A few words for error messages: "Pushing the plugin", "Pulling the base image".</summary>
    private protected abstract string Describe();

    /// <summary>Logs at normal importance (shown with -v:n).</summary>
    private protected void Info(string message) => Log.LogMessage(MessageImportance.Normal, message);

    /// <summary>Logs at high importance (shown at the default verbosity).</summary>
    private protected void Result(string message) => Log.LogMessage(MessageImportance.High, message);

    private void LogCodedError(string code, string message) =>
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: BuildEngine?.ProjectFileOfTaskNode,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: Redact(message));

    /// <summary>Credentials that must never reach the log, whatever a message contains; <see langword="null"/> when there are none.</summary>
    private protected virtual RegistryCredentials? Secret => null;

    // Every form of the secret (as is, URL-escaped, base64 user:password), and control characters escaped: the message may
    // quote a registry.
    private string Redact(string message) => UntrustedText.EscapeMessage(Secret?.Redact(message) ?? message);
}
