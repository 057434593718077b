namespace Mooring.Oci.Manifests;

/// <summary>The media types Mooring writes and understands.</summary>
public static class MediaTypes
{
    /// <summary>Docker image manifest, schema 2. Plugins are always pushed with it (registries validate plugin manifests in this form).</summary>
    public const string DockerManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (multi-platform).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (multi-platform).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>The config media type that makes a manifest a Docker managed plugin.</summary>
    public const string PluginConfig = "application/vnd.docker.plugin.v1+json";

    /// <summary>Docker image config.</summary>
    public const string DockerImageConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>OCI image config.</summary>
    public const string OciImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>Docker gzip layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Docker uncompressed layer.</summary>
    public const string DockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";

    /// <summary>OCI gzip layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>OCI uncompressed layer.</summary>
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>The <c>Accept</c> header value for a manifest GET: every manifest and index type above.</summary>
    internal const string ManifestAccept = DockerManifestV2 + ", " + DockerManifestList + ", " + OciManifest + ", " + OciIndex;

    internal static bool IsIndex(string mediaType) => mediaType is DockerManifestList or OciIndex;

    internal static bool IsManifest(string mediaType) => mediaType is DockerManifestV2 or OciManifest;
}
