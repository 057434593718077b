using Mooring.Oci;

namespace Mooring.Build.Push;

/// <summary>A push task that talks to a registry: credentials and insecure registries from MSBuild properties.</summary>
public abstract class RegistryTask : OciTask
{
    /// <summary>User name for the registry (PluginRegistryUsername). Empty: environment, then docker's config.json.</summary>
    public string? Username { get; set; }

    /// <summary>Password or token for the registry (PluginRegistryPassword). Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Registries (host or host:port) reached over plain HTTP (PluginInsecureRegistries). Loopback always is.</summary>
    public string[] InsecureRegistries { get; set; } = [];

    /// <inheritdoc />
    private protected override string? Secret => Password;

    /// <summary>Registry options from the task's properties, with progress reported to the build log.</summary>
    private protected RegistryClientOptions CreateOptions(IProgress<RegistryProgress>? progress)
    {
        bool hasUser = !string.IsNullOrEmpty(Username);
        bool hasPassword = !string.IsNullOrEmpty(Password);
        if (hasUser != hasPassword)
        {
            throw new PushSettingException(hasUser
                ? "PluginRegistryUsername is set but PluginRegistryPassword is empty. Set both, or neither to use MOORING_REGISTRY_USERNAME/MOORING_REGISTRY_PASSWORD or docker login."
                : "PluginRegistryPassword is set but PluginRegistryUsername is empty. Set both, or neither to use MOORING_REGISTRY_USERNAME/MOORING_REGISTRY_PASSWORD or docker login.");
        }

        return new RegistryClientOptions
        {
            Credentials = hasUser ? new RegistryCredentials(Username!, Password!) { Source = "PluginRegistryUsername/PluginRegistryPassword" } : null,
            InsecureRegistries = InsecureRegistries.SelectMany(r => r.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray(),
            Progress = progress,
        };
    }
}
