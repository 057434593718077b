namespace Mooring.TestFixtures;

/// <summary>
/// Runs the dotnet CLI as a user would: without the MSBuild/VSTest variables of the test host and without the
/// repository's ArtifactsPath, and with build servers off so no MSBuild node outlives the test.
/// </summary>
public static class DotnetCli
{
    public static Task<ProcessResult> RunAsync(string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync("dotnet", arguments, workingDirectory, UserEnvironment(environment), timeout ?? TimeSpan.FromMinutes(10), cancellationToken);

    /// <summary>
    /// The environment changes that make a child process see the dotnet CLI as a user's shell would (for scripts that run
    /// dotnet themselves), with <paramref name="environment"/> applied last.
    /// </summary>
    public static Dictionary<string, string?> UserEnvironment(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key is "ArtifactsPath" or "DOTNET_HOST_PATH" or "DOCKER_HOST")
            {
                env[key] = null;
            }
        }

        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                env[key] = value;
            }
        }

        return env;
    }
}
