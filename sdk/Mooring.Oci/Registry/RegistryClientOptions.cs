using Mooring.Oci.Auth;

namespace Mooring.Oci.Registry;

/// <summary>Settings for <see cref="RegistryClient"/>. The defaults suit a normal push; tests and MSBuild properties override them.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>The smallest allowed <see cref="ChunkSize"/>.</summary>
    public const int MinChunkSize = 1024;

    /// <summary>
    /// Credentials given by the caller (for example MSBuild properties) for the registry of the client these options are given
    /// to. When <see langword="null"/>, credentials are looked up when a registry first asks for them: the environment
    /// variables <c>MOORING_REGISTRY_USERNAME</c>/<c>MOORING_REGISTRY_PASSWORD</c>, then
    /// <c>DOTNET_CONTAINER_REGISTRY_UNAME</c>/<c>DOTNET_CONTAINER_REGISTRY_PWORD</c> — only for the registry they belong to,
    /// see <see cref="EnvironmentCredentialsRegistry"/> — then docker's config.json (<c>credHelpers</c>, <c>credsStore</c>,
    /// <c>auths</c>), whose entries are per registry. Without any, requests stay anonymous.
    /// </summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>
    /// The registry (<c>host</c> or <c>host:port</c>, as in a reference) that the credentials in the environment variables belong
    /// to, typically the push target. They are never sent to another registry: not to a base image's registry, not to a
    /// registry reached by redirect. The variable <c>MOORING_REGISTRY_HOST</c>, when set, names that registry instead.
    /// Default <see langword="null"/>: the environment credentials are used only for the registry <c>MOORING_REGISTRY_HOST</c>
    /// names, and not at all when it is unset.
    /// </summary>
    public string? EnvironmentCredentialsRegistry { get; init; }

    /// <summary>
    /// Registries (<c>host</c> or <c>host:port</c>, case-insensitive) to talk to over plain HTTP. Loopback registries
    /// (<c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>) use HTTP unless <see cref="LoopbackIsInsecure"/> is off; everything else uses HTTPS.
    /// </summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Whether loopback registries (<c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>) use plain HTTP, as dockerd assumes.
    /// Default <see langword="true"/>; turn it off for a local registry that serves TLS.
    /// </summary>
    public bool LoopbackIsInsecure { get; init; } = true;

    /// <summary>Upload blobs in chunks (<c>PATCH</c>) from the start instead of trying one monolithic <c>PUT</c> first.</summary>
    public bool ForceChunkedUpload { get; init; }

    /// <summary>The size of each <c>PATCH</c> in a chunked upload. Default 5 MiB (the minimum some registries, such as ECR, accept).</summary>
    public int ChunkSize { get; init; } = 5 * 1024 * 1024;

    /// <summary>The timeout of a single HTTP request, including sending its body. Default 100 seconds.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How many times a request is retried after a 5xx answer, a connection error or a timeout. 4xx answers are never retried.
    /// The <c>PATCH</c> and <c>PUT</c> requests that carry blob bytes are not idempotent (a registry may have taken part of them),
    /// so they are never repeated; instead the whole blob upload starts again from a new session (<c>POST</c>), up to this many
    /// times. Default 3.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>
    /// How long a response body may send nothing once its headers have arrived (a blob download, a manifest, a token answer)
    /// before the request counts as timed out. Default 60 seconds.
    /// </summary>
    public TimeSpan ResponseIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay; it doubles on every further retry. Default 250 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Ask the token service for the plugin scope <c>repository(plugin):&lt;repo&gt;:push,pull</c> first (what dockerd asks for),
    /// falling back to <c>repository:&lt;repo&gt;:push,pull</c> when it is refused. Default <see langword="true"/>.
    /// </summary>
    public bool UsePluginScope { get; init; } = true;

    /// <summary>Receives upload progress: bytes sent, blobs skipped or mounted, manifests pushed. Called synchronously.</summary>
    public IProgress<RegistryProgress>? Progress { get; init; }

    /// <summary>
    /// The directory holding docker's <c>config.json</c>. Default: <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>.
    /// </summary>
    public string? DockerConfigDirectory { get; init; }

    /// <summary>
    /// Reads environment variables (credentials, <c>DOCKER_CONFIG</c>, <c>HOME</c>, and <c>PATH</c> for credential helpers).
    /// Default: the process environment. Lets a caller or a test supply an isolated environment.
    /// </summary>
    public Func<string, string?> EnvironmentReader { get; init; } = Environment.GetEnvironmentVariable;

    internal void Validate()
    {
        if (ChunkSize < MinChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, $"The chunk size must be at least {MinChunkSize} bytes.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "The request timeout must be positive.");
        }

        if (ResponseIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseIdleTimeout), ResponseIdleTimeout, "The response idle timeout must be positive.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "The retry count cannot be negative.");
        }
    }
}
