using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Mooring.Build.Tasks;

/// <summary>Turns a <see cref="PluginBuildException"/> into an MSBuild error with its MOOR1xxx code.</summary>
public abstract class MooringTask : MSBuildTask
{
    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            Run();
        }
        catch (PluginBuildException ex)
        {
            Log.LogError(subcategory: null, errorCode: ex.Code, helpKeyword: null, file: BuildEngine?.ProjectFileOfTaskNode,
                lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: ex.Message);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work; throw <see cref="PluginBuildException"/> for problems the user must fix.</summary>
    private protected abstract void Run();

    /// <summary>Logs a message at normal importance.</summary>
    private protected void Info(string message) => Log.LogMessage(MessageImportance.Normal, message);

    /// <summary>Parses an optional boolean property ("" → null).</summary>
    private protected static bool? OptionalBool(string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return bool.TryParse(value.Trim(), out var result)
            ? result
            : throw new PluginBuildException(ErrorCodes.BadOverride, $"{property} is '{value}'; set it to true or false.");
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
}
