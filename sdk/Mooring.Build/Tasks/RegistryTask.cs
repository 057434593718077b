using Mooring.Oci;
using Mooring.Oci.Auth;
using Mooring.Oci.Registry;

namespace Mooring.Build.Tasks;

/// <summary>
/// A task that talks to a registry (<see cref="PluginPush"/>, <see cref="PluginBaseImage"/>): credentials and insecure
/// registries from MSBuild properties, and the password kept out of every logged message. A class rather than a helper
/// because MSBuild sets task parameters only on public properties of the task class itself.
/// </summary>
public abstract class RegistryTask : MooringTask
{
    /// <summary>
    /// User name for the registry (PluginRegistryUsername, or PluginBaseImageUsername for the base image). Empty: the
    /// environment variables (push registry only), then docker's config.json.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>Password or token for the registry (PluginRegistryPassword). Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Registries (host or host:port) reached over plain HTTP (PluginInsecureRegistries). Loopback always is.</summary>
    public string[] InsecureRegistries { get; set; } = [];

    /// <inheritdoc />
    private protected override RegistryCredentials? Secret =>
        string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password) ? null : new RegistryCredentials(Username, Password);

    /// <summary>Registry options from the task's properties, with progress reported to the build log.</summary>
    /// <param name="progress">Receives upload progress, or <see langword="null"/>.</param>
    /// <param name="environmentCredentialsRegistry">
    /// The registry the MOORING_REGISTRY_* / DOTNET_CONTAINER_REGISTRY_* variables may be sent to: the push target
    /// (PluginRegistry) for PluginPush, <see langword="null"/> for a base image pull (then only the registry named by
    /// MOORING_REGISTRY_HOST gets them).
    /// </param>
    private protected RegistryClientOptions CreateOptions(IProgress<RegistryProgress>? progress, string? environmentCredentialsRegistry = null)
    {
        var hasUser = !string.IsNullOrEmpty(Username);
        var hasPassword = !string.IsNullOrEmpty(Password);
        if (hasUser != hasPassword)
        {
            throw new OciException(ErrorCodes.BadSetting, hasUser
                ? "PluginRegistryUsername is set but PluginRegistryPassword is empty. Set both, or neither to use MOORING_REGISTRY_USERNAME/MOORING_REGISTRY_PASSWORD or docker login."
                : "PluginRegistryPassword is set but PluginRegistryUsername is empty. Set both, or neither to use MOORING_REGISTRY_USERNAME/MOORING_REGISTRY_PASSWORD or docker login.");
        }

        return new RegistryClientOptions
        {
            Credentials = hasUser ? new RegistryCredentials(Username!, Password!) { Source = CredentialSource } : null,
            EnvironmentCredentialsRegistry = environmentCredentialsRegistry,
            InsecureRegistries = InsecureRegistries.SelectMany(r => r.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray(),
            Progress = progress,
        };
    }

    /// <summary>The properties the explicit credentials come from, for messages.</summary>
    private protected virtual string CredentialSource => "PluginRegistryUsername/PluginRegistryPassword";
}
