using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mooring.Oci.References;
using Mooring.Oci.Registry;

namespace Mooring.Oci.Auth;

/// <summary>
/// Finds credentials for a registry the way the Docker ecosystem expects: explicit credentials, then environment variables
/// (for the one registry they belong to), then docker's <c>config.json</c> (<c>credHelpers</c>, <c>credsStore</c>, <c>auths</c>).
/// </summary>
public static class RegistryCredentialResolver
{
    /// <summary>The Mooring user name variable.</summary>
    public const string UsernameVariable = "MOORING_REGISTRY_USERNAME";

    /// <summary>The Mooring password variable.</summary>
    public const string PasswordVariable = "MOORING_REGISTRY_PASSWORD";

    /// <summary>The .NET SDK container user name variable, read as a fallback.</summary>
    public const string DotnetUsernameVariable = "DOTNET_CONTAINER_REGISTRY_UNAME";

    /// <summary>The .NET SDK container password variable, read as a fallback.</summary>
    public const string DotnetPasswordVariable = "DOTNET_CONTAINER_REGISTRY_PWORD";

    /// <summary>
    /// Names the registry (<c>host</c> or <c>host:port</c>) the credential variables belong to, overriding
    /// <see cref="RegistryClientOptions.EnvironmentCredentialsRegistry"/>. One pair of variables is one registry's secret.
    /// </summary>
    public const string RegistryVariable = "MOORING_REGISTRY_HOST";

    private const string DockerHubConfigKey = "https://index.docker.io/v1/";
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Finds credentials for a registry, or returns <see langword="null"/> to go anonymous.</summary>
    /// <param name="registry">The registry as written in the reference (<c>docker.io</c>, <c>host:port</c>).</param>
    /// <param name="options">Explicit credentials, the environment and the docker config directory.</param>
    /// <param name="cancellationToken">Stops a running credential helper.</param>
    /// <exception cref="OciException">config.json is not valid JSON, or a configured credential helper failed (<see cref="OciErrorCodes.CredentialSourceFailed"/>).</exception>
    public static async Task<RegistryCredentials?> ResolveAsync(string registry, RegistryClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Credentials is not null)
        {
            return options.Credentials;
        }

        var env = options.EnvironmentReader;
        if (EnvironmentCredentialsApply(registry, options))
        {
            if (FromEnvironment(env, UsernameVariable, PasswordVariable) is { } mooring)
            {
                return mooring;
            }

            if (FromEnvironment(env, DotnetUsernameVariable, DotnetPasswordVariable) is { } dotnet)
            {
                return dotnet;
            }
        }

        var configDir = options.DockerConfigDirectory ?? env("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(configDir))
        {
            var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            configDir = Path.Combine(home, ".docker");
        }

        return await FromDockerConfigAsync(registry, Path.Combine(configDir, "config.json"), env, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the credential variables belong to <paramref name="registry"/>: the registry <see cref="RegistryVariable"/> names,
    /// else <see cref="RegistryClientOptions.EnvironmentCredentialsRegistry"/>; with neither, no registry. They used to apply to
    /// every registry, so a base image's registry (and its token realm) received the push password.
    /// </summary>
    /// <param name="registry">The registry as written in a reference.</param>
    /// <param name="options">The caller's scope and environment.</param>
    public static bool EnvironmentCredentialsApply(string registry, RegistryClientOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(options);
        var owner = options.EnvironmentReader(RegistryVariable);
        if (string.IsNullOrWhiteSpace(owner))
        {
            owner = options.EnvironmentCredentialsRegistry;
        }

        return !string.IsNullOrWhiteSpace(owner) && KeyMatches(owner.Trim(), registry);
    }

    /// <summary>What to tell a user whom a registry refused for lack of credentials.</summary>
    internal static string LoginHint(string registry) =>
        $"Run 'docker login {registry}', or set {UsernameVariable} and {PasswordVariable} (they are used for the push registry only; set {RegistryVariable}={registry} to use them here), or pass the user name and password explicitly.";

    private static RegistryCredentials? FromEnvironment(Func<string, string?> env, string userVariable, string passwordVariable)
    {
        var user = env(userVariable);
        var password = env(passwordVariable);
        return string.IsNullOrEmpty(user) || password is null
            ? null
            : new RegistryCredentials(user, password) { Source = $"${userVariable}" };
    }

    private static async Task<RegistryCredentials?> FromDockerConfigAsync(string registry, string configPath, Func<string, string?> env, CancellationToken cancellationToken)
    {
        if (!File.Exists(configPath))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            await using var stream = File.OpenRead(configPath);
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new OciException(OciErrorCodes.CredentialSourceFailed, $"Cannot read the docker configuration '{configPath}': {e.Message} Fix or remove the file, or pass credentials explicitly.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var isHub = ImageReference.IsDockerHub(registry);
            var serverUrl = isHub ? DockerHubConfigKey : registry;

            if (TryGetObject(root, "credHelpers", out var helpers))
            {
                foreach (var helper in helpers.EnumerateObject())
                {
                    if (KeyMatches(helper.Name, registry) && helper.Value.GetString() is { Length: > 0 } helperName)
                    {
                        return await RunHelperAsync(helperName, serverUrl, env, required: true, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName)
            {
                // A leftover credsStore (for example "desktop" copied from another machine) must not block anonymous or auths use.
                var fromStore = await RunHelperAsync(storeName, serverUrl, env, required: false, cancellationToken).ConfigureAwait(false);
                if (fromStore is not null)
                {
                    return fromStore;
                }
            }

            if (TryGetObject(root, "auths", out var auths))
            {
                foreach (var auth in auths.EnumerateObject())
                {
                    if (KeyMatches(auth.Name, registry) && auth.Value.ValueKind == JsonValueKind.Object)
                    {
                        return FromAuthEntry(auth.Value, configPath);
                    }
                }
            }
        }

        return null;
    }

    private static RegistryCredentials? FromAuthEntry(JsonElement entry, string configPath)
    {
        var source = configPath;
        if (GetString(entry, "identitytoken") is { Length: > 0 } identityToken)
        {
            return RegistryCredentials.FromIdentityToken(identityToken).WithSource(source);
        }

        if (GetString(entry, "auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException e)
            {
                throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The 'auth' value in '{configPath}' is not valid base64. Run 'docker login' again.", e);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The 'auth' value in '{configPath}' is not 'user:password' in base64. Run 'docker login' again.");
            }

            return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]) { Source = source };
        }

        if (GetString(entry, "username") is { Length: > 0 } user && GetString(entry, "password") is { } password)
        {
            return new RegistryCredentials(user, password) { Source = source };
        }

        return null;
    }

    private static async Task<RegistryCredentials?> RunHelperAsync(string name, string serverUrl, Func<string, string?> env, bool required, CancellationToken cancellationToken)
    {
        var program = "docker-credential-" + name;
        var path = FindOnPath(program, env("PATH"));
        if (path is null)
        {
            return required
                ? throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The docker configuration names the credential helper '{name}', but '{program}' is not on PATH. Install it, or remove it from credHelpers.")
                : null;
        }

        var start = new ProcessStartInfo(path, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new OciException(OciErrorCodes.CredentialSourceFailed, $"Cannot start the credential helper '{program}': {e.Message}", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HelperTimeout);
        try
        {
            await process.StandardInput.WriteAsync(serverUrl.AsMemory(), timeout.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                // "credentials not found" is the protocol's normal "no entry" answer.
                if ((output + error).Contains("not found", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The credential helper '{program}' failed with exit code {process.ExitCode} for '{serverUrl}'. Check that it works with: echo {serverUrl} | {program} get");
            }

            using var json = JsonDocument.Parse(output);
            var user = GetString(json.RootElement, "Username");
            var secret = GetString(json.RootElement, "Secret");
            if (string.IsNullOrEmpty(secret))
            {
                return null;
            }

            return user is null or "<token>"
                ? RegistryCredentials.FromIdentityToken(secret).WithSource($"credential helper {program}")
                : new RegistryCredentials(user, secret) { Source = $"credential helper {program}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The credential helper '{program}' did not answer within {HelperTimeout.TotalSeconds:0} seconds.");
        }
        catch (JsonException e)
        {
            throw new OciException(OciErrorCodes.CredentialSourceFailed, $"The credential helper '{program}' printed something that is not JSON.", e);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string? FindOnPath(string program, string? pathVariable)
    {
        foreach (var dir in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd", program] : new[] { program })
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    // Docker normalises config keys to a bare host: "https://host:port/v1/" and "host:port" are the same entry.
    private static bool KeyMatches(string key, string registry)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        if (ImageReference.IsDockerHub(registry))
        {
            return ImageReference.IsDockerHub(host);
        }

        return string.Equals(host, registry, StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryGetObject(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
